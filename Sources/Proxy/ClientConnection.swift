import EventLoop
import Glibc
import HTTP1
import JWT
import RateLimit
import TLS

/// The client side of a connection, from accept to close. One request at a time is in flight: pipelined
/// requests wait in the read buffer (and then in the kernel) and are parsed after the previous response
/// completes, so answers go out in order. Edge-triggered: `readReady`/`writeBlocked` remember what the last
/// epoll edge said, and `drive()` moves bytes until neither side can make progress.
final class ClientConnection: EventHandler {
    enum Phase {
        /// Accepted on a TLS listener: the handshake runs (under the listener's handshake timeout) before any byte is HTTP.
        case handshaking
        /// Between requests (keep-alive), no byte of the next request yet.
        case idle
        /// Some bytes of a request head are buffered.
        case readingHead
        /// Admitted and attached to an upstream connection.
        case forwarding
        /// A rejected request's body is read and discarded so that the connection can be kept.
        case discardingBody
        /// Reading the small JSON body of a request to the built-in issuer.
        case localBody
        /// The issuer's threads are working on the request; their answer comes through the worker's inbox.
        case awaitingIssuer
        /// The last response is being flushed; the connection closes after it.
        case closing
        case closed
    }

    let fd: Int32
    // unowned(unsafe): the worker owns and outlives every connection, pool and listener it creates (it
    // closes them all before it ends), and a checked unowned reference costs an atomic per access.
    unowned(unsafe) let worker: GatewayWorker
    let peer: IPAddress
    var phase: Phase = .idle
    var inBuf: ByteBuffer?
    var outBuf: ByteBuffer?
    var parser: RequestHeadParser
    var readReady = true
    var writeBlocked = false
    /// The client closed its side (RDHUP/HUP seen); sticky for the same reason as the upstream's.
    var peerHungUp = false
    var requestsServed = 0
    var deadline: UInt64 = .max
    var queuedDeadline: UInt64 = .max
    var exchange = Exchange()
    var upstream: UpstreamConnection?
    /// After a rejection with a body: how many body bytes are still to be discarded.
    var discardRemaining = 0
    var closeAfterResponse = false
    /// The body of a request to the issuer (at most `IssuerRuntime.maxBodyBytes`).
    var localBody: [UInt8] = []
    var pendingLogout: PendingLogout?
    /// Non-zero while `.awaitingIssuer`: the key of this connection in the worker's table of waits.
    var issuerTicket: UInt64 = 0
    /// The TLS session on a TLS listener's connection; every read and write goes through it.
    var tls: TLSSession?

    init(fd: Int32, peer: IPAddress, worker: GatewayWorker) {
        self.fd = fd
        self.peer = peer
        self.worker = worker
        parser = RequestHeadParser(limits: worker.snapshot.limits.head)
    }

    // MARK: events and timers

    func handleEvent(_ events: UInt32) {
        if events & (IOEvents.readable | IOEvents.readHangup | IOEvents.hangup | IOEvents.error) != 0 { readReady = true }
        if events & (IOEvents.readHangup | IOEvents.hangup | IOEvents.error) != 0 { peerHungUp = true }
        if events & (IOEvents.writable | IOEvents.error | IOEvents.hangup) != 0 { writeBlocked = false }
        drive()
    }

    func handleTimer(now: UInt64) {
        queuedDeadline = .max
        guard phase != .closed, deadline != .max else { return }
        if now >= deadline {
            deadline = .max
            onTimeout()
            // The timeout may have queued an answer (408): send it now, no event will come to do it.
            drive()
        } else {
            setDeadline(deadline)
        }
    }

    func setDeadline(_ d: UInt64) {
        deadline = d
        if d < queuedDeadline {
            queuedDeadline = d
            worker.loop.schedule(fd, at: d)
        }
    }

    private func onTimeout() {
        switch phase {
        case .handshaking:
            handshakeFailed()  // a client that stalls mid-handshake holds a slot and OpenSSL state: cut it off
        case .idle:
            close()  // keep-alive idle: a silent close is what clients expect
        case .readingHead:
            reject(.requestTimeout)
        case .forwarding:
            if exchange.responseStarted {
                abort()  // the client stopped reading the response, or the body stalled after the answer began
            } else if !exchange.requestBodyDone {
                upstream?.abandon()
                upstream = nil
                reject(.requestTimeout)
            }
            // Otherwise the request is complete and the upstream's response timer is in charge.
        case .discardingBody, .closing:
            abort()
        case .localBody:
            reject(.requestTimeout)
        case .awaitingIssuer:
            worker.forgetIssuerWait(issuerTicket)
            issuerTicket = 0
            reject(.issuerBusy)
        case .closed:
            break
        }
    }

    // MARK: the pump

    /// Moves bytes in both directions as far as buffers and sockets allow. Called after every event on the
    /// client socket and, while forwarding, on the upstream socket.
    func drive() {
        var progress = true
        while progress && phase != .closed {
            progress = false
            if let out = outBuf, !out.isEmpty, !writeBlocked {
                let before = out.readableCount
                guard flush() else { return }
                if (outBuf?.readableCount ?? 0) != before { progress = true }
            }
            switch phase {
            case .handshaking:
                if stepHandshake() { progress = true }
            case .idle, .readingHead:
                // A client that pipelines without reading must not grow our output without bound: no new
                // head is parsed while 64 KiB of answers wait (the write deadline then runs).
                if let o = outBuf, o.readableCount > 64 << 10 { break }
                if let b = inBuf, !b.isEmpty, parseHead() {
                    progress = true
                } else if phase == .idle || phase == .readingHead, readReady, readMore() {
                    progress = true
                }
            case .forwarding:
                if pumpExchange() { progress = true }
            case .discardingBody:
                if discardBody() {
                    progress = true
                } else if phase == .discardingBody, readReady, readMore() {
                    progress = true
                }
            case .localBody:
                if pumpLocalBody() {
                    progress = true
                } else if phase == .localBody, readReady, readMore() {
                    progress = true
                }
            case .awaitingIssuer:
                break
            case .closing:
                if outBuf?.isEmpty ?? true {
                    close()
                    return
                }
            case .closed:
                return
            }
        }
    }

    /// One step of the forwarding phase in both directions. Returns true if anything moved.
    private func pumpExchange() -> Bool {
        guard let up = upstream else { return false }
        var moved = false
        if !exchange.requestBodyDone {
            if let b = inBuf, !b.isEmpty, up.requestSpace > 0 {
                if pumpRequestBody(into: up) { moved = true }
            }
            if phase != .forwarding { return true }
            if !exchange.requestBodyDone, readReady, up.requestSpace > 0, inBuf.map({ $0.isEmpty || $0.writableCount > 0 }) ?? true {
                if readMore() { moved = true }
            }
        }
        if phase != .forwarding { return true }
        if up.flushRequest() { moved = true }
        if phase != .forwarding { return true }
        // Response direction: only pull from the upstream while the client's buffer has room (backpressure).
        if acquireOutBuf().writableCount >= 64 {
            if up.pumpResponse(to: self) { moved = true }
        }
        return moved
    }

    /// One read into the input buffer. Returns true when bytes arrived.
    func readMore() -> Bool {
        let b = acquireInBuf()
        if b.writableCount == 0 {
            b.compact()
            if b.writableCount == 0 { return false }
        }
        let space = b.writableCount
        let result: Socket.IOResult
        if let tls { result = tls.socketRead(into: b.writable) } else { result = Socket.read(fd, into: b.writable) }
        switch result {
        case .bytes(let n):
            b.writeIndex += n
            // A short TLS read says nothing about the socket (one record per read): only `.wouldBlock` clears it.
            if n < space && !peerHungUp && tls == nil { readReady = false }
            if n == 0 { return false }
            switch phase {
            case .idle:
                phase = .readingHead
                setDeadline(worker.loop.now + worker.snapshot.timeouts.requestHead)
            case .forwarding, .discardingBody, .localBody:
                setDeadline(worker.loop.now + worker.snapshot.timeouts.bodyIdle)
            default:
                break
            }
            return true
        case .wouldBlock:
            readReady = false
            releaseBuffersIfIdle()
            return false
        case .closed:
            readReady = false
            onPeerClosed()
            return false
        case .failed:
            abort()
            return false
        }
    }

    private func onPeerClosed() {
        switch phase {
        case .handshaking:
            close()
        case .idle, .readingHead:
            // EOF between requests, or in the middle of a head: nothing more to answer, but answers already
            // buffered (pipelined requests before a half-close) still go out before the close.
            if outBuf.map({ !$0.isEmpty }) ?? false { finishAndClose() } else { close() }
        case .forwarding:
            if !exchange.requestBodyDone {
                // The client went away mid-request: the upstream must never see a truncated request as whole.
                abort()
            } else {
                // Half-close after a complete request: the response still goes out, then we close.
                closeAfterResponse = true
            }
        case .discardingBody, .localBody:
            close()
        case .awaitingIssuer:
            // The answer is still sent (the client may only have half-closed), then the connection closes.
            closeAfterResponse = true
            exchange.clientKeepAlive = false
        case .closing, .closed:
            break
        }
    }

    /// Writes buffered output. Returns false if the connection was closed.
    func flush() -> Bool {
        guard let out = outBuf else { return true }
        while !out.isEmpty {
            let result: Socket.IOResult
            if let tls { result = tls.socketWrite(from: out.readable) } else { result = Socket.write(fd, from: out.readable) }
            switch result {
            case .bytes(let n):
                exchange.bytesSent += n
                out.consume(n)
                if !out.isEmpty {
                    writeBlocked = true
                    setDeadline(worker.loop.now + worker.snapshot.timeouts.bodyIdle)
                    return true
                }
            case .wouldBlock:
                writeBlocked = true
                setDeadline(worker.loop.now + worker.snapshot.timeouts.bodyIdle)
                return true
            case .closed, .failed:
                abort()
                return false
            }
        }
        if phase == .closing {
            close()
            return false
        }
        // The response went out after the connection became idle: an idle keep-alive connection keeps no
        // buffer (the measured cost was a touched 16 KiB output buffer page per idle connection).
        if phase == .idle { releaseBuffersIfIdle() }
        return true
    }

    // MARK: buffers

    func acquireInBuf() -> ByteBuffer {
        if let b = inBuf { return b }
        let b = worker.readPool.take()
        inBuf = b
        return b
    }

    func acquireOutBuf() -> ByteBuffer {
        if let b = outBuf { return b }
        let b = worker.writePool.take()
        outBuf = b
        return b
    }

    /// An idle keep-alive connection gives its buffers back to the worker's pool.
    func releaseBuffersIfIdle() {
        guard phase == .idle else { return }
        if let b = inBuf, b.isEmpty {
            worker.readPool.give(b)
            inBuf = nil
        }
        if let b = outBuf, b.isEmpty {
            worker.writePool.give(b)
            outBuf = nil
        }
    }

    // MARK: lifecycle

    /// Closes after flushing what is buffered.
    func finishAndClose() {
        phase = .closing
        if outBuf?.isEmpty ?? true { close() }
    }

    /// Closes at once with a reset: for a peer that misbehaved or a response that cannot be completed.
    func abort() {
        close(reset: true)
    }

    func close(reset: Bool = false) {
        guard phase != .closed else { return }
        if exchange.active {
            if exchange.status == 0 { exchange.status = exchange.responseStarted ? exchange.status : 499 }
            worker.logExchange(self)
            exchange.active = false
        }
        phase = .closed
        if issuerTicket != 0 {
            worker.forgetIssuerWait(issuerTicket)
            issuerTicket = 0
        }
        if let up = upstream {
            upstream = nil
            up.abandon()
        }
        worker.loop.deregister(fd)
        if reset {
            Socket.abort(fd)
        } else {
            tls?.shutdown()
            Glibc.close(fd)
        }
        if let b = inBuf {
            worker.readPool.give(b)
            inBuf = nil
        }
        if let b = outBuf {
            worker.writePool.give(b)
            outBuf = nil
        }
        worker.connectionClosed(self)
    }
}
