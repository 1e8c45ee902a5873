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
    let snapshot: Snapshot
    let shared: SharedState
    let readPool: BufferPool
    let writePool: BufferPool
    let verifier: TokenVerifier
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
    private var requestCounter: UInt64 = 0
    private let requestIDPrefix: [UInt8]
    let issuerService: IssuerService?
    let revocations: RevocationView?
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

    init(id: Int, snapshot: Snapshot, shared: SharedState, services: Services, listenFDs: [Int32]) throws(SystemError) {
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
        path.reserveCapacity(1024)
        head.headers.reserveCapacity(snapshot.limits.head.maxHeaderCount)
        responseHead.headers.reserveCapacity(snapshot.limits.head.maxHeaderCount)
        let rnd = UInt32.random(in: .min ... .max)
        requestIDPrefix = Array(hex32(rnd ^ UInt32(truncatingIfNeeded: id &* 0x9E37_79B9)).utf8)
        pools = snapshot.upstreams.map { UpstreamPool(upstream: $0, worker: self) }
        for fd in listenFDs {
            let l = Listener(fd: fd, worker: self)
            try loop.register(fd, l)
            listeners.append(l)
        }
        let log = accessLog
        loop.addIterationHook { log.flush() }
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

    func accepted(fd: Int32, address: SocketAddress) {
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
        // A new connection must send its first request head within the head timeout.
        c.setDeadline(loop.now + snapshot.timeouts.requestHead)
        c.drive()
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
        guard accessLog.enabled else { return }
        let ex = c.exchange
        let routeName = ex.local?.name ?? (ex.routeIndex >= 0 ? snapshot.routes.routes[ex.routeIndex].name : nil)
        let upstreamName = ex.upstreamIndex >= 0 ? snapshot.upstreams[ex.upstreamIndex].name : nil
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
    private var open = true

    init(fd: Int32, worker: GatewayWorker) {
        self.fd = fd
        self.worker = worker
    }

    func handleEvent(_ events: UInt32) {
        // Edge-triggered: accept until the backlog is empty.
        while open {
            switch Socket.accept(fd) {
            case .accepted(let cfd, let addr):
                worker.accepted(fd: cfd, address: addr)
            case .wouldBlock:
                return
            case .failed(let e):
                // EMFILE/ENFILE: out of descriptors; the connection stays in the backlog until one frees.
                if e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM { return }
                continue
            }
        }
    }

    func handleTimer(now: UInt64) {}

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
