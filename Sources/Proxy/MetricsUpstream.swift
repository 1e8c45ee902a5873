import Synchronization

/// One worker's numbers for one upstream (by name, so they survive a reload that keeps the name). Written by
/// that worker's pool and connections, read by the scrape.
final class UpstreamStats: Sendable {
    enum Failure: Int, CaseIterable, Sendable {
        case connect, timeout, badResponse

        var label: String {
            switch self {
            case .connect: return "connect"
            case .timeout: return "timeout"
            case .badResponse: return "bad_response"
            }
        }
    }

    let name: String
    /// Failures by kind, then ejections, then the response-time histogram.
    let counters = CounterBlock(count: UpstreamStats.histogramBase + LatencyBuckets.slots)
    let idle = Atomic<Int>(0)
    let busy = Atomic<Int>(0)
    /// Monotonic nanoseconds until which every target of the pool is ejected (0: some target is in service).
    let allEjectedUntil = Atomic<UInt64>(0)

    private static let ejectionSlot = Failure.allCases.count
    private static let histogramBase = ejectionSlot + 1

    init(name: String) { self.name = name }

    func failed(_ kind: Failure) { counters.add(kind.rawValue) }

    /// A target in service was taken out of rotation.
    func ejected() { counters.add(Self.ejectionSlot) }

    /// After an ejection: the earliest time any target of the pool returns to service.
    func allEjected(until: UInt64) { allEjectedUntil.store(until, ordering: .relaxed) }

    /// A new pool (or none, after a reload removed the upstream): every target in service, no connections.
    func resetGauges() {
        allEjectedUntil.store(0, ordering: .relaxed)
        idle.store(0, ordering: .relaxed)
        busy.store(0, ordering: .relaxed)
    }

    @inline(__always)
    func responded(nanos: UInt64) {
        LatencyBuckets.observe(nanos, in: counters, at: Self.histogramBase)
    }

    func publishSizes(open: Int, idle idleCount: Int) {
        idle.store(idleCount, ordering: .relaxed)
        busy.store(open - idleCount, ordering: .relaxed)
    }

    var sample: UpstreamSample {
        UpstreamSample(
            name: name, failures: Failure.allCases.map { counters.load($0.rawValue) }, ejections: counters.load(Self.ejectionSlot),
            latency: LatencyBuckets.read(counters, at: Self.histogramBase), idle: idle.load(ordering: .relaxed),
            busy: busy.load(ordering: .relaxed), allEjectedUntil: allEjectedUntil.load(ordering: .relaxed))
    }
}

/// One upstream's numbers at a scrape (one worker's, or summed over workers).
struct UpstreamSample: Sendable {
    var name: String
    /// Indexed by `UpstreamStats.Failure.rawValue`.
    var failures: [UInt64]
    var ejections: UInt64
    var latency: HistogramSample
    var idle: Int
    var busy: Int
    /// The latest "every target ejected until" over the workers summed in.
    var allEjectedUntil: UInt64

    mutating func merge(_ o: UpstreamSample) {
        for i in failures.indices where i < o.failures.count { failures[i] &+= o.failures[i] }
        ejections &+= o.ejections
        latency.merge(o.latency)
        idle += o.idle
        busy += o.busy
        allEjectedUntil = max(allEjectedUntil, o.allEjectedUntil)
    }
}
