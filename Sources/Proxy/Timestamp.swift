import Glibc

/// RFC 3339 UTC timestamps with milliseconds, without Foundation (log lines).
public enum Timestamp {
    public static func appendRFC3339(to out: inout [UInt8]) {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = ts.tv_sec
        var tmv = tm()
        gmtime_r(&t, &tmv)
        func two(_ v: Int32) {
            out.append(UInt8(48 + v / 10))
            out.append(UInt8(48 + v % 10))
        }
        out.append(contentsOf: String(Int(tmv.tm_year) + 1900).utf8)
        out.append(UInt8(ascii: "-"))
        two(tmv.tm_mon + 1)
        out.append(UInt8(ascii: "-"))
        two(tmv.tm_mday)
        out.append(UInt8(ascii: "T"))
        two(tmv.tm_hour)
        out.append(UInt8(ascii: ":"))
        two(tmv.tm_min)
        out.append(UInt8(ascii: ":"))
        two(tmv.tm_sec)
        out.append(UInt8(ascii: "."))
        let ms = Int32(ts.tv_nsec / 1_000_000)
        out.append(UInt8(48 + ms / 100))
        two(ms % 100)
        out.append(UInt8(ascii: "Z"))
    }

    public static func rfc3339() -> String {
        var b: [UInt8] = []
        appendRFC3339(to: &b)
        return String(decoding: b, as: UTF8.self)
    }
}
