import EventLoop
import RateLimit
import Synchronization

/// Every worker's metrics, summed on demand: the scrape (and readiness) read here; workers never do.
public final class GatewayMetrics: Sendable {
    private let workers = Mutex<[WorkerMetricsStore]>([])
    private let reloadsOK = Atomic<UInt64>(0)
    private let reloadsFailed = Atomic<UInt64>(0)

    public init() {}

    func register(_ store: WorkerMetricsStore) {
        workers.withLock { $0.append(store) }
    }

    /// Workers that have started (each registers once, before it serves).
    public var workerCount: Int { workers.withLock { $0.count } }

    /// Counts one reload attempt (SIGHUP, `gateway reload` or POST /reload).
    public func recordReload(ok: Bool) {
        if ok { reloadsOK.add(1, ordering: .relaxed) } else { reloadsFailed.add(1, ordering: .relaxed) }
    }

    /// For readiness: each current upstream and whether it has a target in service in every worker. A
    /// worker ejects targets on its own; an upstream counts as down while some worker has all of its
    /// targets ejected, since that worker's requests to it are failing.
    public func upstreamHealth(now: UInt64 = Clock.monotonicNanos()) -> [(name: String, inService: Bool)] {
        let s = sample()
        return s.currentUpstreams.map { name in
            let down = s.upstreamDownUntil[name] ?? 0
            return (name, down <= now)
        }
    }

    /// The Prometheus text of every metric, summed over workers.
    public func prometheusText(version: String) -> [UInt8] {
        MetricsExposition.render(sample(), version: version)
    }

    func sample() -> MetricsSample {
        let stores = workers.withLock { $0 }
        var s = MetricsSample()
        s.reloadsOK = reloadsOK.load(ordering: .relaxed)
        s.reloadsFailed = reloadsFailed.load(ordering: .relaxed)
        var limiter: RateLimiter?
        for store in stores {
            for c in FixedCounter.allCases { s.fixed[c.rawValue] &+= store.fixed.load(c.rawValue) }
            let p = store.published
            if limiter == nil { limiter = p.limiter }
            s.addRoutes(p.routes)
            for u in p.upstreams {
                let one = u.sample
                s.addUpstream(one)
                if p.upstreamNames.contains(one.name) {
                    s.upstreamDownUntil[one.name] = max(s.upstreamDownUntil[one.name] ?? 0, one.allEjectedUntil)
                }
            }
            for name in p.upstreamNames where !s.currentUpstreams.contains(name) { s.currentUpstreams.append(name) }
        }
        s.rateLimitKeys = limiter?.trackedKeys ?? 0
        return s
    }
}

/// Every worker's numbers summed, by route and upstream name, in first-seen order.
struct MetricsSample {
    struct Route {
        var name: String
        var current: Bool
        /// [status class][decision], flattened.
        var requests: [UInt64]
        var duration: HistogramSample
    }

    var routes: [Route] = []
    private var routeIndex: [String: Int] = [:]
    var upstreams: [UpstreamSample] = []
    private var upstreamIndex: [String: Int] = [:]
    var currentUpstreams: [String] = []
    var upstreamDownUntil: [String: UInt64] = [:]
    var fixed = [UInt64](repeating: 0, count: FixedCounter.allCases.count)
    var rateLimitKeys = 0
    var reloadsOK: UInt64 = 0
    var reloadsFailed: UInt64 = 0

    subscript(_ c: FixedCounter) -> UInt64 { fixed[c.rawValue] }

    mutating func addRoutes(_ slots: RouteSlots) {
        let counts = WorkerMetrics.histogramOffset
        for (slot, name) in slots.names.enumerated() {
            let base = slot * WorkerMetrics.slotStride
            guard base + WorkerMetrics.slotStride <= slots.block.count else { break }
            let requests = (0..<counts).map { slots.block.load(base + $0) }
            let duration = LatencyBuckets.read(slots.block, at: base + WorkerMetrics.histogramOffset)
            let current = slot < slots.current.count && slots.current[slot]
            if let i = routeIndex[name] {
                for k in 0..<counts { routes[i].requests[k] &+= requests[k] }
                routes[i].duration.merge(duration)
                routes[i].current = routes[i].current || current
            } else {
                routeIndex[name] = routes.count
                routes.append(Route(name: name, current: current, requests: requests, duration: duration))
            }
        }
    }

    mutating func addUpstream(_ u: UpstreamSample) {
        if let i = upstreamIndex[u.name] {
            upstreams[i].merge(u)
        } else {
            upstreamIndex[u.name] = upstreams.count
            upstreams.append(u)
        }
    }

    /// Requests of `route` with `status` class index and `decision` (tests and rendering).
    func requests(route: String, statusClass: Int, decision: MetricsDecision) -> UInt64 {
        guard let i = routeIndex[route] else { return 0 }
        return routes[i].requests[statusClass * WorkerMetrics.decisionCount + Int(decision.rawValue)]
    }
}
