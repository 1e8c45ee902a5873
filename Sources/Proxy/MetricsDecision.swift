import Synchronization

/// What the gateway decided about a request, as the `decision` label of `gateway_requests_total`: allowed, or
/// the rejection grouped so the label set stays small and fixed (401 by reason, 403, 429, other 4xx, 5xx).
enum MetricsDecision: UInt8, CaseIterable, Sendable {
    case allowed
    case missingToken
    case invalidToken
    case tokenExpired
    case tokenRevoked
    case forbidden
    case rateLimited
    case clientError
    case gatewayError

    var label: String {
        switch self {
        case .allowed: return "allowed"
        case .missingToken: return "missing_token"
        case .invalidToken: return "invalid_token"
        case .tokenExpired: return "token_expired"
        case .tokenRevoked: return "token_revoked"
        case .forbidden: return "forbidden"
        case .rateLimited: return "rate_limited"
        case .clientError: return "client_error"
        case .gatewayError: return "gateway_error"
        }
    }

    /// Grouped by status first, so a rejection added later lands in the group its status says.
    init(_ r: Rejection) {
        switch r.status {
        case 401:
            switch r {
            case .missingToken: self = .missingToken
            case .tokenRevoked: self = .tokenRevoked
            case .invalidToken(let e) where e == .expired: self = .tokenExpired
            default: self = .invalidToken
            }
        case 403: self = .forbidden
        case 429: self = .rateLimited
        case 500...: self = .gatewayError
        default: self = .clientError
        }
    }
}

/// Status classes 1xx…5xx as indexes 0…4; anything outside 100…599 counts with 5xx.
@inline(__always)
func statusClassIndex(_ status: Int) -> Int {
    let c = status / 100 - 1
    return c >= 0 && c < 5 ? c : 4
}

/// Prometheus-style latency buckets (seconds): 0.5 ms … 10 s, plus +Inf.
enum LatencyBuckets {
    static let bounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// The bounds in nanoseconds.
    static let boundsNanos: [UInt64] = bounds.map { UInt64(($0 * 1e9).rounded()) }
    /// One counter per bucket (not cumulative; +Inf last), then the sum in nanoseconds.
    static let slots = bounds.count + 2
    static let sumSlot = bounds.count + 1

    /// Adds one observation to the histogram at `base` in `block`.
    @inline(__always)
    static func observe(_ nanos: UInt64, in block: CounterBlock, at base: Int) {
        observe(nanos, at: block.base + base)
    }

    /// Adds one observation to the histogram starting at `h`.
    @inline(__always)
    static func observe(_ nanos: UInt64, at h: UnsafeMutablePointer<Atomic<UInt64>>) {
        h.add(bucket(nanos))
        h.add(sumSlot, nanos)
    }

    /// The bucket of an observation: the bounds as literals (no global array to load on the request path),
    /// smallest first since almost every request is fast. `bucketsMatchBounds` checks them against `bounds`.
    @inline(__always)
    static func bucket(_ n: UInt64) -> Int {
        if n <= 500_000 { return 0 }
        if n <= 1_000_000 { return 1 }
        if n <= 2_500_000 { return 2 }
        if n <= 5_000_000 { return 3 }
        if n <= 10_000_000 { return 4 }
        if n <= 25_000_000 { return 5 }
        if n <= 50_000_000 { return 6 }
        if n <= 100_000_000 { return 7 }
        if n <= 250_000_000 { return 8 }
        if n <= 500_000_000 { return 9 }
        if n <= 1_000_000_000 { return 10 }
        if n <= 2_500_000_000 { return 11 }
        if n <= 5_000_000_000 { return 12 }
        if n <= 10_000_000_000 { return 13 }
        return 14
    }

    /// The histogram at `base` as read by a scrape.
    static func read(_ block: CounterBlock, at base: Int) -> HistogramSample {
        var counts = [UInt64](repeating: 0, count: bounds.count + 1)
        for i in counts.indices { counts[i] = block.load(base + i) }
        return HistogramSample(counts: counts, sumNanos: block.load(base + sumSlot))
    }
}

/// One histogram's values at a scrape: per-bucket counts (not cumulative, +Inf last) and the sum.
struct HistogramSample: Sendable, Equatable {
    var counts: [UInt64]
    var sumNanos: UInt64

    static var empty: HistogramSample {
        HistogramSample(counts: [UInt64](repeating: 0, count: LatencyBuckets.bounds.count + 1), sumNanos: 0)
    }

    var count: UInt64 { counts.reduce(0, &+) }

    mutating func merge(_ other: HistogramSample) {
        for i in counts.indices where i < other.counts.count { counts[i] &+= other.counts[i] }
        sumNanos &+= other.sumNanos
    }
}
