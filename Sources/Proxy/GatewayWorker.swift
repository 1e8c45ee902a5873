import EventLoop
import Glibc
import HTTP1
import Issuer
import JWT
import RateLimit
import Synchronization

/// State every worker shares: connection totals and the shutdown signal. Atomics only.
final class SharedState: Sendable {
    let totalConnections = Atomic<Int>(0)
    let draining = Atomic<Bool>(false)
    let requests = Atomic<Int>(0)
    let perIP = ConnectionsPerIP()
    let metrics = GatewayMetrics()
    /// Bumped when a reload has left a plan for every worker in `plans`; each worker compares it with the
    /// version it adopted once per loop iteration, never per request.
    let reloadVersion = Atomic<Int>(0)
    let reloadAcks = Atomic<Int>(0)
    let plans = Mutex<[Int: WorkerPlan]>([:])
}

/// What one worker must change to serve a reloaded config.
struct WorkerPlan: Sendable {
    var snapshot: Snapshot
    /// Listening sockets for addresses the new config added, bound by the gateway for this worker.
    var addListeners: [(address: String, fd: Int32)]
    /// Addresses the new config dropped: their listeners close, their established connections stay.
    var removeAddresses: [String]
    /// New background services, when the store or issuer changed; nil keeps the current ones.
    var services: Services?
}

/// The gateway's background services that workers call into: both optional, both thread-safe.
struct Services: Sendable {
    var issuer: IssuerService?
    var revocations: RevocationMirror?
}

/// One worker thread's world: its loop, listeners, client connections, upstream pools, token verifier
/// (with its cache) and scratch space. Nothing here is touched by another thread.
final class GatewayWorker {
    let id: Int
    let loop: EventLoop
    /// The config this worker serves; replaced between loop iterations by a reload. A request admitted under
    /// one snapshot keeps what it took from it (its `Route`), so an in-flight request finishes as it began.
    var snapshot: Snapshot
    let shared: SharedState
    let readPool: BufferPool
    let writePool: BufferPool
    var verifier: TokenVerifier
    var pools: [UpstreamPool] = []
    var listeners: [Listener] = []
    private var connections: [ClientConnection?] = []
    private var freeSlots: [Int] = []
    private var connectionIndex: [ObjectIdentifier: Int] = [:]
    private(set) var connectionCount = 0
    var draining = false
    var drainDeadline: UInt64 = .max
    var finished = false
    let accessLog: AccessLogWriter
    let metrics: WorkerMetrics
    private var requestCounter: UInt64 = 0
    private let requestIDPrefix: [UInt8]
    var issuerService: IssuerService?
    var revocations: RevocationView?
    private var adoptedReload = 0
    private var lastMetricsPublish: UInt64 = 0
    /// Listen address of each listener, for a reload that drops an address.
    private var listenerAddresses: [ObjectIdentifier: String] = [:]
    let inbox: WorkerInbox
    /// Connections waiting for the issuer, by ticket. A connection that closes removes itself; an answer for a
    /// ticket no longer here is dropped.
    private var issuerWaits: [UInt64: ClientConnection] = [:]
    private var nextTicket: UInt64 = 0

    // Per-worker scratch reused by every request (no allocation per request).
    var head = RequestHead()
    var responseHead = ResponseHead()
    var path: [UInt8] = []
    var queryStart: Int?
    var tokenQueryParameter: Range<Int>?
    var identityScratch: [UInt8] = []
    var responseScratch: [UInt8] = []

    init(id: Int, snapshot: Snapshot, shared: SharedState, services: Services, listenFDs: [(address: String, fd: Int32)]) throws(SystemError) {
        self.id = id
        self.snapshot = snapshot
        self.shared = shared
        loop = try EventLoop(id: id)
        issuerService = services.issuer
        revocations = services.revocations.map(RevocationView.init)
        inbox = WorkerInbox(wakeFD: loop.wakeDescriptor)
        readPool = BufferPool(bufferSize: 16 << 10)
        writePool = BufferPool(bufferSize: 16 << 10)
        // 4096 verified tokens per worker: a cached token costs about 2 KiB (its claims), so this bounds the
        // cache near 8 MiB per worker while covering far more live users than one worker sees per token TTL.
        verifier = TokenVerifier(issuers: snapshot.issuers, cacheCapacity: 4096, maxTokenBytes: snapshot.limits.maxTokenBytes)
        accessLog = AccessLogWriter(snapshot.log.access)
        metrics = WorkerMetrics(snapshot: snapshot, registry: shared.metrics)
        path.reserveCapacity(1024)
        head.headers.reserveCapacity(snapshot.limits.head.maxHeaderCount)
        responseHead.headers.reserveCapacity(snapshot.limits.head.maxHeaderCount)
        let rnd = UInt32.random(in: .min ... .max)
        requestIDPrefix = Array(hex32(rnd ^ UInt32(truncatingIfNeeded: id &* 0x9E37_79B9)).utf8)
        pools = snapshot.upstreams.map { UpstreamPool(upstream: $0, worker: self) }
        adoptedReload = shared.reloadVersion.load(ordering: .acquiring)
        for (address, fd) in listenFDs {
            let l = Listener(fd: fd, worker: self, address: address)
            try loop.register(fd, l)
            listeners.append(l)
            listenerAddresses[ObjectIdentifier(l)] = address
        }
        let log = accessLog
        loop.addIterationHook { log.flush() }
        // The gauges (open connections, pool sizes, cache counters) are copied for the scraper at most every
        // 100 ms: copied on every loop turn they cost ~330 instructions, a third of a request's growth at low
        // concurrency (callgrind). Counters of requests are exact at once; only these gauges may lag.
        loop.addIterationHook { [unowned(unsafe) self] in
            let now = self.loop.now
            if now &- self.lastMetricsPublish >= 100_000_000 {
                self.lastMetricsPublish = now
                self.metrics.publish(from: self)
            }
        }
        loop.onWake = { [unowned(unsafe) self] in self.takeIssuerAnswers() }
    }

    // MARK: the issuer's answers

    func awaitIssuer(_ c: ClientConnection) -> UInt64 {
        nextTicket &+= 1
        issuerWaits[nextTicket] = c
        return nextTicket
    }

    func forgetIssuerWait(_ ticket: UInt64) {
        issuerWaits.removeValue(forKey: ticket)
    }

    private func takeIssuerAnswers() {
        for (ticket, reply) in inbox.take() {
            guard let c = issuerWaits.removeValue(forKey: ticket) else { continue }
            c.issuerAnswered(reply)
        }
    }

    /// Runs the loop until a drain completes.
    func run() {
        while !finished {
            if !draining && shared.draining.load(ordering: .relaxed) { beginDrain() }
            let reload = shared.reloadVersion.load(ordering: .acquiring)
            if reload != adoptedReload {
                adoptedReload = reload
                if let plan = shared.plans.withLock({ $0.removeValue(forKey: id) }) { adopt(plan) }
                shared.reloadAcks.add(1, ordering: .releasing)
            }
            loop.runOnce(maxWaitMs: draining ? 50 : 1000)
            if draining {
                if connectionCount == 0 || loop.now >= drainDeadline {
                    closeAll()
                    finished = true
                }
            }
        }
        inbox.close()
        accessLog.flush()
    }

    // MARK: connections

    func accepted(fd: Int32, address: SocketAddress, tls: ListenerTLS? = nil) {
        let limits = snapshot.limits
        let total = shared.totalConnections.add(1, ordering: .relaxed).newValue
        if draining || connectionCount >= limits.maxConnectionsPerWorker || total > limits.maxConnections {
            // At the limit, a new connection is closed at once so established ones keep their service.
            shared.totalConnections.subtract(1, ordering: .relaxed)
            Socket.abort(fd)
            return
        }
        let peer = ipAddress(of: address)
        // One address may not hold every connection slot: past its cap its new connections are closed.
        // IPv6 clients count per prefix (as the rate limiter groups them): one host owns its whole /64.
        guard shared.perIP.acquire(connectionKey(peer), limit: limits.maxConnectionsPerIP) else {
            shared.totalConnections.subtract(1, ordering: .relaxed)
            Socket.abort(fd)
            return
        }
        let c = ClientConnection(fd: fd, peer: peer, worker: self)
        if let tls { c.beginHandshake(tls) }
        do {
            try loop.register(fd, c)
        } catch {
            shared.totalConnections.subtract(1, ordering: .relaxed)
            shared.perIP.release(connectionKey(peer))
            Glibc.close(fd)
            return
        }
        let slot: Int
        if let s = freeSlots.popLast() {
            slot = s
            connections[s] = c
        } else {
            slot = connections.count
            connections.append(c)
        }
        connectionIndex[ObjectIdentifier(c)] = slot
        connectionCount += 1
        // A new connection must send its first request head (on TLS: finish its handshake) within the timeout.
        c.setDeadline(loop.now + (tls?.handshakeTimeout ?? snapshot.timeouts.requestHead))
        // A handshake step costs a signature (up to a millisecond for RSA): it waits for the connection's
        // first event, so accepting stays cheap and new handshakes take turns with established connections.
        if tls == nil { c.drive() }
    }

    func connectionClosed(_ c: ClientConnection) {
        if let slot = connectionIndex.removeValue(forKey: ObjectIdentifier(c)) {
            connections[slot] = nil
            freeSlots.append(slot)
            connectionCount -= 1
            shared.totalConnections.subtract(1, ordering: .relaxed)
            shared.perIP.release(connectionKey(c.peer))
        }
    }

    private func connectionKey(_ ip: IPAddress) -> IPAddress {
        ip.isIPv4 ? ip : ip.masked(toPrefix: snapshot.rateLimit.ipv6Prefix)
    }

    private func ipAddress(of a: SocketAddress) -> IPAddress {
        a.withAddressBytes { b in
            if b.count == 4 { return IPAddress(ipv4: (b[0], b[1], b[2], b[3])) }
            return IPAddress(ipv6: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
        }
    }

    private var peerTextCache: [IPAddress: [UInt8]] = [:]

    /// The peer address as text for X-Forwarded-For and logs, cached per address.
    func peerText(of c: ClientConnection) -> [UInt8] {
        if let t = peerTextCache[c.peer] { return t }
        let t = Array(c.peer.description.utf8)
        if peerTextCache.count > 4096 { peerTextCache.removeAll(keepingCapacity: true) }
        peerTextCache[c.peer] = t
        return t
    }

    // MARK: reload

    /// Serves a reloaded config from now on: new requests use the new snapshot; upstream pools whose upstream is
    /// unchanged are kept (with their idle connections and ejection state), others retire once their busy
    /// connections finish; the verifier and its cache are kept while no issuer or key changed.
    private func adopt(_ plan: WorkerPlan) {
        let old = snapshot
        snapshot = plan.snapshot
        metrics.adopt(snapshot: snapshot)
        if plan.snapshot.reloadState.issuersID != old.reloadState.issuersID || plan.snapshot.issuers.profiles.count != old.issuers.profiles.count {
            verifier = TokenVerifier(issuers: snapshot.issuers, cacheCapacity: 4096, maxTokenBytes: snapshot.limits.maxTokenBytes)
        }
        var kept = Set<ObjectIdentifier>()
        var newPools: [UpstreamPool] = []
        for upstream in snapshot.upstreams {
            if let pool = pools.first(where: { !kept.contains(ObjectIdentifier($0)) && $0.upstream.sameDefinition(as: upstream) }) {
                kept.insert(ObjectIdentifier(pool))
                newPools.append(pool)
            } else {
                newPools.append(UpstreamPool(upstream: upstream, worker: self))
            }
        }
        for pool in pools where !kept.contains(ObjectIdentifier(pool)) { pool.retire() }
        pools = newPools
        for address in plan.removeAddresses {
            for l in listeners where listenerAddresses[ObjectIdentifier(l)] == address {
                listenerAddresses.removeValue(forKey: ObjectIdentifier(l))
                l.close()
            }
            listeners.removeAll { listenerAddresses[ObjectIdentifier($0)] == nil }
        }
        for (address, fd) in plan.addListeners {
            // A reload that raced the shutdown: a draining worker accepts nothing new.
            if draining {
                Glibc.close(fd)
                continue
            }
            let l = Listener(fd: fd, worker: self, address: address)
            do {
                try loop.register(fd, l)
            } catch {
                Glibc.close(fd)
                continue
            }
            listeners.append(l)
            listenerAddresses[ObjectIdentifier(l)] = address
        }
        if let services = plan.services {
            issuerService = services.issuer
            revocations = services.revocations.map(RevocationView.init)
        }
    }

    // MARK: drain

    func beginDrain() {
        draining = true
        drainDeadline = loop.now + snapshot.timeouts.drain
        for l in listeners { l.close() }
        listeners.removeAll()
        for p in pools { p.closeIdle() }
        for c in connections {
            guard let c else { continue }
            // Idle keep-alive connections close now; busy ones close after their response.
            if c.phase == .idle { c.close() }
        }
    }

    private func closeAll() {
        for c in connections { c?.abort() }
        for p in pools { p.closeIdle() }
    }

    // MARK: request ids, logs, counters

    func generateRequestID(into id: inout [UInt8]) {
        requestCounter &+= 1
        id.removeAll(keepingCapacity: true)
        id.append(contentsOf: requestIDPrefix)
        var n = requestCounter
        var digits: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &digits) { d in
            for i in stride(from: 11, through: 0, by: -1) {
                d[i] = hexDigit(UInt8(n & 0xF))
                n >>= 4
            }
            id.append(contentsOf: UnsafeRawBufferPointer(rebasing: d[0..<12]))
        }
    }

    func logExchange(_ c: ClientConnection) {
        shared.requests.add(1, ordering: .relaxed)
        // An exchange admitted before a reload counts only if its route is still the one at its index.
        let index = c.exchange.routeIndex
        let routes = snapshot.routes.routes
        let route = index >= 0 && index < routes.count && routes[index] === c.exchange.route ? index : -1
        metrics.exchangeEnded(
            route: route, local: c.exchange.local, status: c.exchange.status, decision: c.exchange.decision,
            nanos: loop.now &- c.exchange.startNanos)
        guard accessLog.enabled else { return }
        let ex = c.exchange
        let routeName = ex.local?.name ?? ex.route?.name
        let upstreamName = ex.upstreamIndex >= 0 ? ex.route?.upstreamName : nil
        accessLog.record(
            requestID: ex.requestID, client: peerText(of: c), method: ex.logMethod, path: ex.logPath, route: routeName,
            upstream: upstreamName, status: ex.status, bytes: ex.bytesSent + (c.outBuf?.readableCount ?? 0), durationNanos: loop.now &- ex.startNanos,
            subject: ex.subject)
    }
}

/// A listening socket owned by one worker.
final class Listener: EventHandler {
    let fd: Int32
    // unowned(unsafe): the worker owns and outlives every connection, pool and listener it creates (it
    // closes them all before it ends), and a checked unowned reference costs an atomic per access.
    unowned(unsafe) let worker: GatewayWorker
    /// The configured listen address, as the snapshot names it.
    let address: String
    private var open = true
    /// The listener's TLS settings (nil: plain HTTP) as of `tlsSnapshot`: a reload may change certificates
    /// without rebinding, and new connections then take the new ones.
    private var tls: ListenerTLS?
    private var tlsSnapshot: Snapshot?

    init(fd: Int32, worker: GatewayWorker, address: String) {
        self.fd = fd
        self.worker = worker
        self.address = address
    }

    private func currentTLS() -> ListenerTLS? {
        let s = worker.snapshot
        if s !== tlsSnapshot {
            tlsSnapshot = s
            tls = s.tls(forListenAddress: address)
        }
        return tls
    }

    /// Accepts per turn of the loop. Clients that reconnect as fast as they are served (a TLS client is done
    /// once our first handshake flight reaches it) would otherwise keep this loop busy forever, while the
    /// events of the connections already accepted (their Finished, their close) wait and the per-address
    /// limit fills with connections that are in fact gone.
    private static let acceptBatch = 64

    func handleEvent(_ events: UInt32) {
        acceptPending()
    }

    /// Edge-triggered: accepts until the backlog is empty or a batch is done; after a full batch a timer due
    /// at once (so the loop first waits for, and handles, the other sockets' events) continues.
    private func acceptPending() {
        var accepted = 0
        while open {
            if accepted == Self.acceptBatch {
                worker.loop.schedule(fd, at: worker.loop.now + 1)
                return
            }
            switch Socket.accept(fd) {
            case .accepted(let cfd, let addr):
                accepted += 1
                worker.accepted(fd: cfd, address: addr, tls: currentTLS())
            case .wouldBlock:
                return
            case .failed(let e):
                // EMFILE/ENFILE: out of descriptors; the connection stays in the backlog until one frees.
                if e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM { return }
                continue
            }
        }
    }

    func handleTimer(now: UInt64) {
        acceptPending()
    }

    func close() {
        guard open else { return }
        open = false
        worker.loop.deregister(fd)
        Glibc.close(fd)
    }
}

@inline(__always)
func hexDigit(_ v: UInt8) -> UInt8 {
    v < 10 ? 0x30 + v : 0x61 + v - 10
}

func hex32(_ v: UInt32) -> String {
    var s = ""
    for shift in stride(from: 28, through: 0, by: -4) {
        s.unicodeScalars.append(Unicode.Scalar(hexDigit(UInt8((v >> UInt32(shift)) & 0xF))))
    }
    return s
}
