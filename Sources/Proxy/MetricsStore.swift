import RateLimit
import Synchronization

/// The part of a worker's metrics that the scrape reads: counters as atomics, and (under a lock taken only at
/// start, reload and scrape) which blocks and names are current.
final class WorkerMetricsStore: Sendable {
    let fixed = CounterBlock(count: FixedCounter.allCases.count)
    private let state = Mutex(Published())

    struct Published: Sendable {
        var routes = RouteSlots(block: CounterBlock(count: 1), names: [], current: [])
        var upstreams: [UpstreamStats] = []
        var upstreamNames: [String] = []
        var limiter: RateLimiter?
    }

    func publish(routes: RouteSlots, upstreamNames: [String], limiter: RateLimiter?) {
        state.withLock {
            $0.routes = routes
            $0.upstreamNames = upstreamNames
            $0.limiter = limiter
        }
    }

    func add(_ stats: UpstreamStats) {
        state.withLock { $0.upstreams.append(stats) }
    }

    var published: Published { state.withLock { $0 } }
}

/// Route counters by slot: `names[slot]` is the route name, `current[slot]` whether the live config has it.
struct RouteSlots: Sendable {
    var block: CounterBlock
    var names: [String]
    var current: [Bool]
}
