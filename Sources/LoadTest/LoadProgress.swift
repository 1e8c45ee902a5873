/// The state of a run once a second, for the live progress line.
public struct LoadProgress: Sendable, Equatable {
    public var elapsedSeconds: Double
    public var completed: UInt64
    /// Over the last interval, not the whole run, so that a stall shows at once.
    public var requestsPerSecond: Double
    public var errors: UInt64
    public var p99Nanos: UInt64

    public init(elapsedSeconds: Double, completed: UInt64, requestsPerSecond: Double, errors: UInt64, p99Nanos: UInt64) {
        self.elapsedSeconds = elapsedSeconds
        self.completed = completed
        self.requestsPerSecond = requestsPerSecond
        self.errors = errors
        self.p99Nanos = p99Nanos
    }

    public var line: String {
        "\(Format.fixed(elapsedSeconds, 0))s  \(Format.fixed(requestsPerSecond, 0)) req/s  \(completed) done  "
            + "\(errors) errors  p99 \(Format.millis(p99Nanos))"
    }
}

/// Number formatting without Foundation.
enum Format {
    /// `value` with `digits` decimals, rounded half away from zero.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e18 else { return String(value) }
        let n = UInt64(scaled)
        let whole = n / UInt64(scale)
        var text = (value < 0 && n > 0 ? "-" : "") + String(whole)
        if digits > 0 {
            let frac = String(n % UInt64(scale))
            text += "." + String(repeating: "0", count: digits - frac.count) + frac
        }
        return text
    }

    static func millis(_ nanos: UInt64) -> String { fixed(Double(nanos) / 1e6, 3) + "ms" }

    static func bytes(_ n: UInt64) -> String {
        if n >= 1 << 30 { return fixed(Double(n) / Double(1 << 30), 2) + " GiB" }
        if n >= 1 << 20 { return fixed(Double(n) / Double(1 << 20), 2) + " MiB" }
        if n >= 1 << 10 { return fixed(Double(n) / Double(1 << 10), 2) + " KiB" }
        return "\(n) B"
    }
}
