import Glibc

enum UnixTime {
    /// Wall-clock seconds: what token `iat`/`exp` and stored expiries are measured in.
    static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec)
    }
}
