import EventLoop
import Glibc

/// One worker's connections to one upstream: idle keep-alive connections per target (LIFO, so the warmest
/// is reused and surplus ones age out), round-robin target choice, and passive ejection of a target after
/// consecutive failures. Per worker, so the request path never takes a lock; each worker learns about a
/// failing target on its own, which costs at most `eject_after` failed attempts per worker.
final class UpstreamPool {
    let upstream: Upstream
    // unowned(unsafe): the worker owns and outlives every connection, pool and listener it creates (it
    // closes them all before it ends), and a checked unowned reference costs an atomic per access.
    unowned(unsafe) let worker: GatewayWorker
    private var idle: [[UpstreamConnection]]
    private var next = 0
    private var failures: [Int]
    private var ejectedUntil: [UInt64]
    private(set) var openCount = 0
    private(set) var connectFailures = 0
    private(set) var ejections = 0
    let stats: UpstreamStats
    private(set) var retired = false

    init(upstream: Upstream, worker: GatewayWorker) {
        self.upstream = upstream
        self.worker = worker
        idle = Array(repeating: [], count: upstream.targets.count)
        failures = Array(repeating: 0, count: upstream.targets.count)
        ejectedUntil = Array(repeating: 0, count: upstream.targets.count)
        stats = worker.metrics.upstreamStats(for: upstream)
    }

    var idleCount: Int { idle.reduce(0) { $0 + $1.count } }

    /// A connection for `c`'s request: a pooled one to the next healthy target, or a new one.
    func acquire(for c: ClientConnection) -> UpstreamConnection? {
        let t = chooseTarget(excluding: nil)
        while let conn = idle[t].popLast() {
            if conn.phase == .idle {
                conn.activate(for: c)
                return conn
            }
        }
        return connect(t, for: c)
    }

    func connectFresh(for c: ClientConnection, preferring t: Int) -> UpstreamConnection? {
        connect(t, for: c)
    }

    /// The next target other than `excluded`, if another exists.
    func connectFresh(for c: ClientConnection, excluding excluded: Int) -> UpstreamConnection? {
        guard upstream.targets.count > 1 else { return nil }
        let t = chooseTarget(excluding: excluded)
        if t == excluded { return nil }
        return connect(t, for: c)
    }

    /// Round-robin over targets not ejected; when every target is ejected, all are tried again (as Envoy's
    /// panic threshold does): refusing everything would only delay noticing that a target came back.
    private func chooseTarget(excluding excluded: Int?) -> Int {
        let n = upstream.targets.count
        let now = worker.loop.now
        for _ in 0..<n {
            let t = next
            next = (next + 1) % n
            if t == excluded { continue }
            if ejectedUntil[t] <= now { return t }
        }
        let t = next
        next = (next + 1) % n
        if t == excluded && n > 1 {
            let u = next
            next = (next + 1) % n
            return u
        }
        return t
    }

    private func connect(_ t: Int, for c: ClientConnection) -> UpstreamConnection? {
        let fd: Int32
        let connected: Bool
        switch Socket.connect(upstream.targets[t]) {
        case .connected(let f):
            fd = f
            connected = true
        case .inProgress(let f):
            fd = f
            connected = false
        case .failed:
            stats.failed(.connect)
            recordFailure(t, now: worker.loop.now)
            return nil
        }
        let conn = UpstreamConnection(fd: fd, targetIndex: t, connected: connected, pool: self, worker: worker)
        do {
            try worker.loop.register(fd, conn)
        } catch {
            Glibc.close(fd)
            return nil
        }
        openCount += 1
        conn.activate(for: c)
        if !connected { conn.phase = .connecting }
        return conn
    }

    /// A reload replaced this pool: its idle connections close now, its busy ones when their exchange ends.
    func retire() {
        retired = true
        closeIdle()
    }

    func release(_ conn: UpstreamConnection) {
        let t = conn.targetIndex
        if retired || idle[t].count >= upstream.maxIdlePerTarget {
            conn.close()
            return
        }
        conn.parkIdle(now: worker.loop.now)
        idle[t].append(conn)
    }

    func closed(_ conn: UpstreamConnection, wasIdle: Bool) {
        openCount -= 1
        if wasIdle, let i = idle[conn.targetIndex].firstIndex(where: { $0 === conn }) {
            idle[conn.targetIndex].remove(at: i)
        }
    }

    func recordSuccess(_ t: Int) {
        failures[t] = 0
        if ejectedUntil[t] != 0 {
            ejectedUntil[t] = 0
            Lifecycle.log("upstream_target_restored", ["upstream": upstream.name, "target": upstream.targets[t].description, "worker": "\(worker.id)"])
        }
    }

    func recordFailure(_ t: Int, now: UInt64) {
        connectFailures += 1
        failures[t] += 1
        if failures[t] >= upstream.ejectAfter {
            if ejectedUntil[t] <= now {
                ejections += 1
                stats.ejected()
                Lifecycle.log(
                    "upstream_target_ejected",
                    ["upstream": upstream.name, "target": upstream.targets[t].description, "worker": "\(worker.id)",
                     "for_seconds": "\(upstream.ejectFor / 1_000_000_000)"], level: .warning)
            }
            ejectedUntil[t] = now + upstream.ejectFor
            stats.allEjected(until: ejectedUntil.min() ?? 0)
            failures[t] = 0
        }
    }

    func closeIdle() {
        for t in idle.indices {
            let conns = idle[t]
            for c in conns { c.close() }
            idle[t].removeAll()
        }
    }
}
