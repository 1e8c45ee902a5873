/// A token-bucket policy: `burst` tokens of capacity, refilled at `tokensPerSecond`.
public struct RateSpec: Sendable, Equatable {
    public let tokensPerSecond: Double
    public let burst: Int
    /// Nanoseconds per token, rounded up so the integer arithmetic can only be stricter than the exact rate.
    let intervalNanos: UInt64
    /// `burst × intervalNanos`: the credit a full bucket holds.
    let capacityNanos: UInt64

    /// `rate` tokens per `seconds`; nil unless both are finite and positive, `burst ≥ 1`, at most 10⁹ tokens/s,
    /// and a full bucket's refill time fits comfortably in 64-bit nanoseconds (about 146 years).
    public init?(rate: Double, per seconds: Double, burst: Int) {
        guard rate.isFinite, seconds.isFinite, rate > 0, seconds > 0, burst >= 1 else { return nil }
        let perSecond = rate / seconds
        let limit: UInt64 = 1 << 62
        guard perSecond.isFinite, perSecond > 0, perSecond <= 1e9 else { return nil }
        let exact = (1e9 / perSecond).rounded(.up)
        guard exact >= 1, exact <= Double(limit) else { return nil }
        var interval = UInt64(exact)
        // Division rounds to nearest; make sure the interval really is ≥ 10⁹ / rate.
        if Double(interval) * perSecond < 1e9 { interval += 1 }
        let capacity = interval.multipliedReportingOverflow(by: UInt64(burst))
        guard !capacity.overflow, capacity.partialValue <= limit else { return nil }
        tokensPerSecond = perSecond
        self.burst = burst
        intervalNanos = interval
        capacityNanos = capacity.partialValue
    }

    /// Parses `N/unit` with N a decimal number (`100`, `0.5`) and unit `s`, `m` or `min`, `h`
    /// (`"100/s"`, `"6000/min"`, `"10/h"`).
    public init?(parsing text: some StringProtocol, burst: Int) {
        let parts = String(text).split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let amount = Self.decimal(parts[0]) else { return nil }
        let seconds: Double
        switch parts[1] {
        case "s": seconds = 1
        case "m", "min": seconds = 60
        case "h": seconds = 3600
        default: return nil
        }
        self.init(rate: amount, per: seconds, burst: burst)
    }

    /// Digits with an optional fraction; `Double(_:)` alone would also take "inf", "nan" and exponents.
    private static func decimal(_ text: Substring) -> Double? {
        var sawDigit = false
        var sawPoint = false
        for byte in text.utf8 {
            if IPAddress.decimalDigit(byte) != nil {
                sawDigit = true
            } else if byte == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                return nil
            }
        }
        guard sawDigit, text.utf8.last != UInt8(ascii: "."), text.utf8.first != UInt8(ascii: ".") else { return nil }
        return Double(text)
    }
}
