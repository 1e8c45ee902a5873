import Glibc
import JSON

/// One JSON line per request, formatted into a per-worker buffer and written once per loop iteration
/// (one write for a whole batch of requests), so logging costs no lock and no syscall per request.
/// Lines never contain the Authorization header, cookies, the query string or a token: only the
/// normalised path.
final class AccessLogWriter {
    let enabled: Bool
    private let fd: Int32
    private let ownsFD: Bool
    private var buffer: [UInt8] = []

    init(_ destination: LogSettings.Destination) {
        switch destination {
        case .off:
            enabled = false
            fd = -1
            ownsFD = false
        case .stderr:
            enabled = true
            fd = 2
            ownsFD = false
        case .stdout:
            enabled = true
            fd = 1
            ownsFD = false
        case .file(let path):
            let f = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
            enabled = f >= 0
            fd = f
            ownsFD = f >= 0
        }
        buffer.reserveCapacity(enabled ? 64 << 10 : 0)
    }

    deinit {
        flush()
        if ownsFD { close(fd) }
    }

    func record(
        requestID: [UInt8], client: [UInt8], method: [UInt8], path: [UInt8], route: String?, upstream: String?,
        status: Int, bytes: Int, durationNanos: UInt64, subject: String?
    ) {
        buffer.append(contentsOf: #"{"time":""#.utf8)
        appendTimestamp()
        buffer.append(contentsOf: #"","request_id":"#.utf8)
        JSONWriter.appendString(String(decoding: requestID, as: UTF8.self), to: &buffer)
        buffer.append(contentsOf: #","client_ip":"#.utf8)
        JSONWriter.appendString(String(decoding: client, as: UTF8.self), to: &buffer)
        buffer.append(contentsOf: #","method":"#.utf8)
        JSONWriter.appendString(String(decoding: method, as: UTF8.self), to: &buffer)
        buffer.append(contentsOf: #","path":"#.utf8)
        JSONWriter.appendString(String(decoding: path, as: UTF8.self), to: &buffer)
        buffer.append(contentsOf: #","route":"#.utf8)
        if let route { JSONWriter.appendString(route, to: &buffer) } else { buffer.append(contentsOf: "null".utf8) }
        buffer.append(contentsOf: #","upstream":"#.utf8)
        if let upstream { JSONWriter.appendString(upstream, to: &buffer) } else { buffer.append(contentsOf: "null".utf8) }
        buffer.append(contentsOf: #","status":"#.utf8)
        buffer.append(contentsOf: String(status).utf8)
        buffer.append(contentsOf: #","bytes":"#.utf8)
        buffer.append(contentsOf: String(bytes).utf8)
        buffer.append(contentsOf: #","duration_ms":"#.utf8)
        let micros = durationNanos / 1000
        buffer.append(contentsOf: String(micros / 1000).utf8)
        buffer.append(UInt8(ascii: "."))
        let frac = micros % 1000
        if frac < 100 { buffer.append(UInt8(ascii: "0")) }
        if frac < 10 { buffer.append(UInt8(ascii: "0")) }
        buffer.append(contentsOf: String(frac).utf8)
        if let subject {
            buffer.append(contentsOf: #","sub":"#.utf8)
            JSONWriter.appendString(subject, to: &buffer)
        }
        buffer.append(contentsOf: "}\n".utf8)
        if buffer.count > 60 << 10 { flush() }
    }

    func flush() {
        guard enabled, !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { b in
            var off = 0
            while off < b.count {
                guard let base = b.baseAddress else { return }
                let n = write(fd, base + off, b.count - off)
                if n <= 0 { break }
                off += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// RFC 3339 UTC with milliseconds, without Foundation.
    private func appendTimestamp() {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = ts.tv_sec
        var tmv = tm()
        gmtime_r(&t, &tmv)
        func two(_ v: Int32) {
            buffer.append(UInt8(48 + v / 10))
            buffer.append(UInt8(48 + v % 10))
        }
        let year = Int(tmv.tm_year) + 1900
        buffer.append(contentsOf: String(year).utf8)
        buffer.append(UInt8(ascii: "-"))
        two(tmv.tm_mon + 1)
        buffer.append(UInt8(ascii: "-"))
        two(tmv.tm_mday)
        buffer.append(UInt8(ascii: "T"))
        two(tmv.tm_hour)
        buffer.append(UInt8(ascii: ":"))
        two(tmv.tm_min)
        buffer.append(UInt8(ascii: ":"))
        two(tmv.tm_sec)
        buffer.append(UInt8(ascii: "."))
        let ms = Int32(ts.tv_nsec / 1_000_000)
        buffer.append(UInt8(48 + ms / 100))
        two(ms % 100)
        buffer.append(UInt8(ascii: "Z"))
    }
}
