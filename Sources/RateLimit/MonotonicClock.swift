import Glibc

/// The clock production callers pass to `RateLimiter.take(now:)`.
public enum MonotonicClock {
    /// `CLOCK_MONOTONIC` in nanoseconds: never jumps with wall-clock changes, so refill cannot be gamed by NTP.
    @inline(__always)
    public static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
