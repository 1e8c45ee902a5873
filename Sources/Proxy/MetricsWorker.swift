import RateLimit
import Synchronization

/// One worker's metrics, written only on its thread: no lock, no allocation and no dictionary on the request
/// path. Route counters live in a flat `CounterBlock`, one slot per route *name*: `adopt(snapshot:)` maps the
/// snapshot's route indexes to slots, so after a reload a route that keeps its name keeps counting where it
/// was, a new name gets a new slot, and a removed route's totals stay (Prometheus counters never go back).
/// Growing copies the block once, on the worker's thread, and publishes the copy; the scrape reads whichever
/// block is published.
final class WorkerMetrics {
    let store: WorkerMetricsStore
    private var block: CounterBlock
    /// `block.base`, and the first counter of each slot by route index, then the unmatched slot, then the
    /// local endpoints': raw pointers, so the request path touches no reference count and no array.
    private var counters: UnsafeMutablePointer<Atomic<UInt64>>
    private var bases: UnsafeMutableBufferPointer<Int>
    private var routeCount = 0
    private var slotNames: [String] = []
    private var slotByName: [String: Int] = [:]
    private var upstreamsByName: [String: UpstreamStats] = [:]
    private var lastCacheHits: UInt64 = 0
    private var lastCacheMisses: UInt64 = 0

    static let decisionCount = MetricsDecision.allCases.count
    static let histogramOffset = 5 * decisionCount
    static let slotStride = histogramOffset + LatencyBuckets.slots
    /// The `route` label of requests that matched no route (malformed, 404, `OPTIONS *`).
    static let unmatchedRoute = "(none)"

    convenience init(snapshot: Snapshot, registry: GatewayMetrics) {
        self.init(registry: registry)
        adopt(snapshot: snapshot)
    }

    init(registry: GatewayMetrics) {
        store = WorkerMetricsStore()
        block = CounterBlock(count: Self.slotStride)
        counters = block.base
        bases = .allocate(capacity: 1 + LocalEndpoint.metricsOrder.count)
        bases.initialize(repeating: 0)
        registry.register(store)
    }

    deinit { bases.deallocate() }

    /// Maps a new snapshot's routes and upstreams to their slots; the gateway calls it on the worker's thread
    /// when the worker switches to `snapshot`, before serving a request with it.
    func adopt(snapshot: Snapshot) {
        adopt(
            routeNames: snapshot.routes.routes.map(\.name), upstreamNames: snapshot.upstreams.map(\.name),
            limiter: snapshot.rateLimit.limiter)
    }

    func adopt(routeNames: [String], upstreamNames: [String], limiter: RateLimiter?) {
        let names = routeNames + [Self.unmatchedRoute] + LocalEndpoint.metricsOrder.map(\.name)
        let newBases = UnsafeMutableBufferPointer<Int>.allocate(capacity: names.count)
        for (i, name) in names.enumerated() { newBases[i] = slot(named: name) * Self.slotStride }
        bases.deallocate()
        bases = newBases
        routeCount = routeNames.count
        let needed = slotNames.count * Self.slotStride
        if needed > block.count { block = CounterBlock(count: needed, copying: block) }
        counters = block.base
        var current = [Bool](repeating: false, count: slotNames.count)
        for name in routeNames { if let s = slotByName[name] { current[s] = true } }
        for u in upstreamsByName.values where !upstreamNames.contains(u.name) { u.resetGauges() }
        store.publish(routes: RouteSlots(block: block, names: slotNames, current: current), upstreamNames: upstreamNames, limiter: limiter)
    }

    private func slot(named name: String) -> Int {
        if let s = slotByName[name] { return s }
        slotNames.append(name)
        slotByName[name] = slotNames.count - 1
        return slotNames.count - 1
    }

    /// The stats of the upstream named like `upstream`, made on first use; a pool asks once when it is created.
    func upstreamStats(for upstream: Upstream) -> UpstreamStats {
        let stats: UpstreamStats
        if let s = upstreamsByName[upstream.name] {
            stats = s
        } else {
            stats = UpstreamStats(name: upstream.name)
            upstreamsByName[upstream.name] = stats
            store.add(stats)
        }
        stats.resetGauges()
        return stats
    }

    /// One finished exchange: counted by route, status class and decision, and timed.
    @inline(__always)
    func exchangeEnded(route: Int, local: LocalEndpoint?, status: Int, decision: MetricsDecision, nanos: UInt64) {
        let i: Int
        if let local {
            i = routeCount + 1 + local.metricsOrdinal
        } else if route >= 0 && route < routeCount {
            i = route
        } else {
            i = routeCount
        }
        let slot = counters + bases[i]
        slot.add(statusClassIndex(status) * Self.decisionCount + Int(decision.rawValue))
        LatencyBuckets.observe(nanos, at: slot + Self.histogramOffset)
    }

    func jwtVerified(ok: Bool) {
        store.fixed.add(ok ? FixedCounter.jwtOK.rawValue : FixedCounter.jwtFailed.rawValue)
    }

    /// For the TLS listener: one finished handshake.
    func tlsHandshake(ok: Bool) {
        store.fixed.add(ok ? FixedCounter.tlsOK.rawValue : FixedCounter.tlsFailed.rawValue)
    }

    /// Copies the worker's gauges and its verifier's cache counters; runs once per loop iteration, so the
    /// request path pays nothing for them.
    func publish(from w: GatewayWorker) {
        store.fixed.store(FixedCounter.openConnections.rawValue, UInt64(max(w.connectionCount, 0)))
        // A verifier rebuilt by a reload restarts its counts: then its whole count is new.
        let hits = w.verifier.cacheHits
        if hits != lastCacheHits {
            store.fixed.add(FixedCounter.cacheHits.rawValue, hits > lastCacheHits ? hits - lastCacheHits : hits)
            lastCacheHits = hits
        }
        let misses = w.verifier.cacheMisses
        if misses != lastCacheMisses {
            store.fixed.add(FixedCounter.cacheMisses.rawValue, misses > lastCacheMisses ? misses - lastCacheMisses : misses)
            lastCacheMisses = misses
        }
        for p in w.pools { p.stats.publishSizes(open: p.openCount, idle: p.idleCount) }
    }
}

/// The worker's counters that are not per route or upstream, as indexes into `WorkerMetricsStore.fixed`.
enum FixedCounter: Int, CaseIterable {
    case jwtOK, jwtFailed, cacheHits, cacheMisses, tlsOK, tlsFailed, openConnections
}

extension LocalEndpoint {
    static let metricsOrder: [LocalEndpoint] = [.login, .refresh, .logout, .register, .jwks]

    var metricsOrdinal: Int {
        switch self {
        case .login: return 0
        case .refresh: return 1
        case .logout: return 2
        case .register: return 3
        case .jwks: return 4
        }
    }
}
