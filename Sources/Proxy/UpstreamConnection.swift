import EventLoop
import Glibc
import HTTP1
import TLS

/// One connection to an upstream target. While a request is in flight it is attached to a client
/// connection, which drives both directions; otherwise it waits in its pool.
final class UpstreamConnection: EventHandler {
    enum Phase { case connecting, active, idle, closed }

    let fd: Int32
    // unowned(unsafe): the worker owns and outlives every connection, pool and listener it creates (it
    // closes them all before it ends), and a checked unowned reference costs an atomic per access.
    unowned(unsafe) let worker: GatewayWorker
    unowned(unsafe) let pool: UpstreamPool
    let targetIndex: Int
    var phase: Phase
    var client: ClientConnection?
    var out: ByteBuffer?
    var inBuf: ByteBuffer?
    var readReady = false
    var writeBlocked = false
    /// The peer closed its side (RDHUP/HUP seen). Sticky: edge-triggered epoll reports it once, often in the
    /// same event as the last data, so a short read must not make us forget that EOF is waiting.
    var peerHungUp = false
    /// Came from the idle pool: the server may have closed it meanwhile.
    var reused = false
    var responseBytesSeen = false
    var retainRequestForRetry = false
    var requestFullySent = false
    var parser: ResponseHeadParser
    var headDone = false
    var framing: ResponseFraming = .none
    var remaining = 0
    var chunked = ChunkedDecoder(maxBodyBytes: nil)
    var keepAlive = true
    var deadline: UInt64 = .max
    var queuedDeadline: UInt64 = .max
    /// When the current request was handed to this connection, for the upstream response-time histogram.
    var requestStartNanos: UInt64 = 0
    /// The TLS session to an `https://` target, from the end of the TCP connect on; reads and writes go through it.
    var tls: TLSSession?

    init(fd: Int32, targetIndex: Int, connected: Bool, pool: UpstreamPool, worker: GatewayWorker) {
        self.fd = fd
        self.targetIndex = targetIndex
        self.pool = pool
        self.worker = worker
        // An https target is still connecting after the TCP connect: its handshake comes first.
        phase = connected && pool.upstream.tls(forTarget: targetIndex) == nil ? .active : .connecting
        writeBlocked = !connected
        parser = ResponseHeadParser(limits: worker.snapshot.limits.head)
    }

    // MARK: events and timers

    func handleEvent(_ events: UInt32) {
        if events & (IOEvents.readable | IOEvents.readHangup | IOEvents.hangup | IOEvents.error) != 0 { readReady = true }
        if events & (IOEvents.readHangup | IOEvents.hangup | IOEvents.error) != 0 { peerHungUp = true }
        if events & (IOEvents.writable | IOEvents.error | IOEvents.hangup) != 0 { writeBlocked = false }
        switch phase {
        case .connecting:
            if let tls {
                stepHandshake(tls)
                return
            }
            guard events & (IOEvents.writable | IOEvents.error | IOEvents.hangup) != 0 else { return }
            let err = Socket.pendingError(fd)
            if err != 0 {
                connectFailed(timedOut: false)
                return
            }
            if let target = pool.upstream.tls(forTarget: targetIndex) {
                startHandshake(target)
                return
            }
            phase = .active
            // From here the response timeout is an idle timeout: re-armed by every write and read that moves.
            setDeadline(worker.loop.now + pool.upstream.responseTimeout)
            client?.drive()
        case .active:
            client?.drive()
        case .idle:
            // An idle pooled connection has nothing to say: readable means the server closed it (or sent
            // garbage we must not take for the next response).
            if readReady { close() }
        case .closed:
            break
        }
    }

    func handleTimer(now: UInt64) {
        queuedDeadline = .max
        guard phase != .closed, deadline != .max else { return }
        if now < deadline {
            setDeadline(deadline)
            return
        }
        deadline = .max
        switch phase {
        case .connecting:
            connectFailed(timedOut: true)
        case .active:
            let c = client
            detach()
            pool.stats.failed(.timeout)
            pool.recordFailure(targetIndex, now: now)
            close()
            c?.upstreamFailed(.upstreamTimeout)
        case .idle:
            close()
        case .closed:
            break
        }
    }

    func setDeadline(_ d: UInt64) {
        deadline = d
        if d < queuedDeadline {
            queuedDeadline = d
            worker.loop.schedule(fd, at: d)
        }
    }

    // MARK: request direction

    func acquireOut() -> ByteBuffer {
        if let b = out { return b }
        let b = worker.writePool.take()
        out = b
        return b
    }

    /// Room for more request body bytes (0 while connecting with a full buffer).
    var requestSpace: Int { out?.writableCount ?? 0 }

    func requestStarted(now: UInt64) {
        requestStartNanos = now
        responseBytesSeen = false
        requestFullySent = false
        headDone = false
        parser.reset()
        if phase == .connecting {
            setDeadline(now + pool.upstream.connectTimeout)
        } else {
            setDeadline(now + pool.upstream.responseTimeout)
        }
    }

    /// Writes buffered request bytes. Returns true if any went out.
    func flushRequest() -> Bool {
        guard phase == .active, !writeBlocked, let b = out, !b.isEmpty else { return false }
        var wrote = false
        while !b.isEmpty {
            let result: Socket.IOResult
            if let tls { result = tls.socketWrite(from: b.readable) } else { result = Socket.write(fd, from: b.readable) }
            switch result {
            case .bytes(let n):
                if n > 0 && !wrote {
                    wrote = true
                    setDeadline(worker.loop.now + pool.upstream.responseTimeout)
                }
                if retainRequestForRetry {
                    // Keep the bytes for a replay until the first response byte arrives.
                    b.readIndex += n
                } else {
                    b.consume(n)
                }
                if b.readIndex < b.writeIndex {
                    writeBlocked = true
                    return wrote
                }
            case .wouldBlock:
                writeBlocked = true
                return wrote
            case .closed, .failed:
                failedBeforeResponse()
                return true
            }
        }
        if client?.exchange.requestBodyDone ?? false {
            requestFullySent = true
            setDeadline(worker.loop.now + pool.upstream.responseTimeout)
        }
        return wrote
    }

    // MARK: response direction

    var hasPendingResponseBytes: Bool { !(inBuf?.isEmpty ?? true) }

    /// Reads from the upstream and moves the response into the client's output buffer while it has room.
    /// Returns true if anything moved.
    func pumpResponse(to c: ClientConnection) -> Bool {
        var moved = false
        while phase == .active, client === c {
            if hasPendingResponseBytes {
                if process(c) {
                    moved = true
                    continue
                }
                if !(inBuf.map { $0.writableCount > 0 || $0.readIndex > 0 } ?? true) { break }
            }
            guard readReady, phase == .active, client === c else { break }
            guard (c.outBuf?.writableCount ?? 0) >= 64 else { break }
            if !readMore(c) { break }
            moved = true
        }
        return moved
    }

    private func readMore(_ c: ClientConnection) -> Bool {
        if inBuf == nil { inBuf = worker.readPool.take() }
        guard let b = inBuf else { return false }
        if b.writableCount == 0 { b.compact() }
        if b.writableCount == 0 {
            // A response head that does not fit: grow once to the head limit.
            let limit = worker.snapshot.limits.head.maxHeadBytes + 1024
            if !headDone && b.capacity < limit { b.grow(to: limit) } else { return false }
        }
        let space = b.writableCount
        let result: Socket.IOResult
        if let tls { result = tls.socketRead(into: b.writable) } else { result = Socket.read(fd, into: b.writable) }
        switch result {
        case .bytes(let n):
            // A short TLS read says nothing about the socket (one record per read): only `.wouldBlock` clears it.
            if n < space && !peerHungUp && tls == nil { readReady = false }
            b.writeIndex += n
            if n > 0 {
                if !responseBytesSeen {
                    responseBytesSeen = true
                    if retainRequestForRetry, let o = out {
                        retainRequestForRetry = false
                        if o.readIndex == o.writeIndex { o.clear() }
                    }
                }
                setDeadline(worker.loop.now + pool.upstream.responseTimeout)
            }
            return n > 0
        case .wouldBlock:
            readReady = false
            return false
        case .closed:
            readReady = false
            upstreamClosed(c)
            return true
        case .failed:
            readReady = false
            if responseBytesSeen {
                let cl = client
                detach()
                close()
                cl?.abort()
            } else {
                failedBeforeResponse()
            }
            return true
        }
    }

    /// EOF from the upstream.
    private func upstreamClosed(_ c: ClientConnection) {
        if !responseBytesSeen {
            failedBeforeResponse()
            return
        }
        keepAlive = false
        if headDone, case .untilClose = framing {
            // Close-delimited body: EOF is its end.
            _ = process(c)
            finishResponse(c, reusable: false)
            return
        }
        // Truncated head or body: the client must see the truncation, never a shortened body as complete.
        pool.stats.failed(.badResponse)
        detach()
        close()
        if c.exchange.responseStarted { c.abort() } else { c.upstreamFailed(.badUpstreamResponse) }
    }

    /// Nothing of a response arrived and the connection failed: replay once on a fresh connection if the
    /// request allows it, else 502.
    private func failedBeforeResponse() {
        guard let c = client else {
            close()
            return
        }
        let replay = reused && c.exchange.retryable && !c.exchange.retried
        let buffered = out
        out = nil
        detach()
        close()
        if !replay {
            pool.stats.failed(.badResponse)
            pool.recordFailure(targetIndex, now: worker.loop.now)
        }
        if replay, let buffered {
            c.exchange.retried = true
            buffered.readIndex = 0
            if let fresh = pool.connectFresh(for: c, preferring: targetIndex) {
                fresh.out = buffered
                fresh.retainRequestForRetry = false
                c.upstream = fresh
                fresh.requestStarted(now: worker.loop.now)
                c.drive()
                return
            }
            worker.writePool.give(buffered)
        } else if let buffered {
            worker.writePool.give(buffered)
        }
        c.upstreamFailed(.upstreamUnavailable)
    }

    func connectFailed(timedOut: Bool) {
        pool.stats.failed(.connect)
        pool.recordFailure(targetIndex, now: worker.loop.now)
        guard let c = client else {
            close()
            return
        }
        let buffered = out
        out = nil
        detach()
        close()
        // A connect failure sent nothing: any method may try the next target.
        if let buffered, let next = pool.connectFresh(for: c, excluding: targetIndex) {
            next.out = buffered
            c.upstream = next
            next.requestStarted(now: worker.loop.now)
            c.drive()
            return
        }
        if let buffered { worker.writePool.give(buffered) }
        c.upstreamFailed(timedOut ? .upstreamTimeout : .upstreamUnavailable)
    }

    /// Parses and moves buffered response bytes. Returns true if anything moved.
    private func process(_ c: ClientConnection) -> Bool {
        guard let b = inBuf, !b.isEmpty else { return false }
        if !headDone {
            switch parser.parse(b.readable, requestMethod: c.exchange.method, into: &worker.responseHead) {
            case .needMore:
                return false
            case .invalid:
                pool.stats.failed(.badResponse)
                detach()
                close()
                c.upstreamFailed(.badUpstreamResponse)
                return true
            case .complete:
                parser.reset()
                let head = worker.responseHead
                if head.isInformational {
                    // 1xx interim answers (the gateway handles Expect itself) are not forwarded.
                    b.consume(head.headLength)
                    return true
                }
                headDone = true
                keepAlive = head.keepAlive
                framing = head.framing
                if case .contentLength(let n) = framing { remaining = n }
                if case .chunked = framing { chunked = ChunkedDecoder(maxBodyBytes: nil) }
                ResponseHeadWriter.write(head, bytes: b.readable, for: c)
                b.consume(head.headLength)
                if case .none = framing {
                    finishResponse(c, reusable: keepAlive)
                    return true
                }
                if case .contentLength(0) = framing {
                    finishResponse(c, reusable: keepAlive)
                    return true
                }
                return true
            }
        }
        guard let out = c.outBuf else { return false }
        switch framing {
        case .none:
            return false
        case .contentLength:
            let n = min(remaining, b.readableCount, out.writableCount)
            guard n > 0 else { return false }
            out.append(UnsafeRawBufferPointer(rebasing: b.readable[0..<n]))
            b.consume(n)
            remaining -= n
            if remaining == 0 { finishResponse(c, reusable: keepAlive) }
            return true
        case .untilClose:
            let room = c.exchange.responseFraming == .chunked ? out.writableCount - 16 : out.writableCount
            let n = min(b.readableCount, room)
            guard n > 0 else { return false }
            appendBody(UnsafeRawBufferPointer(rebasing: b.readable[0..<n]), c, out)
            b.consume(n)
            return true
        case .chunked:
            var moved = false
            while !b.isEmpty {
                let room = out.writableCount - 24
                if room <= 0 { break }
                let view = UnsafeRawBufferPointer(rebasing: b.readable[0..<min(b.readableCount, room)])
                let (event, consumed) = chunked.next(view)
                switch event {
                case .data(let r):
                    appendBody(UnsafeRawBufferPointer(rebasing: view[r]), c, out)
                    b.consume(consumed)
                    moved = true
                case .needMore:
                    b.consume(consumed)
                    return moved || consumed > 0
                case .end:
                    b.consume(consumed)
                    finishResponse(c, reusable: keepAlive)
                    return true
                case .invalid:
                    detach()
                    close()
                    c.abort()
                    return true
                }
            }
            return moved
        }
    }

    private func appendBody(_ data: UnsafeRawBufferPointer, _ c: ClientConnection, _ out: ByteBuffer) {
        guard !data.isEmpty else { return }
        if c.exchange.responseFraming == .chunked {
            out.appendHex(data.count)
            out.append("\r\n")
            out.append(data)
            out.append("\r\n")
        } else {
            out.append(data)
        }
    }

    private func finishResponse(_ c: ClientConnection, reusable: Bool) {
        if c.exchange.responseFraming == .chunked, let out = c.outBuf { out.append("0\r\n\r\n") }
        let leftover = !(inBuf?.isEmpty ?? true)
        // Bytes past the response would be read as the next request's response (another client's). On TLS
        // they may sit in the socket or in OpenSSL with their epoll edge already spent (a read takes one
        // record), so parking would never notice them: a TLS connection is pooled only if a read finds nothing.
        let canReuse = reusable && !leftover && !peerHungUp && c.exchange.requestBodyDone && (out?.isEmpty ?? true)
            && !worker.draining && !(tls?.hasTrailingInput() ?? false)
        pool.recordSuccess(targetIndex)
        pool.stats.responded(nanos: worker.loop.now &- requestStartNanos)
        detach()
        if canReuse {
            pool.release(self)
        } else {
            close()
        }
        c.exchangeCompleted()
    }

    // MARK: lifecycle

    private func detach() {
        if let c = client, c.upstream === self { c.upstream = nil }
        client = nil
    }

    /// The client is gone or gave up: this connection's state is unknown, so it is closed, never pooled.
    func abandon() {
        client = nil
        close()
    }

    func close() {
        guard phase != .closed else { return }
        let wasIdle = phase == .idle
        phase = .closed
        worker.loop.deregister(fd)
        tls?.shutdown()
        Glibc.close(fd)
        releaseBuffers()
        pool.closed(self, wasIdle: wasIdle)
    }

    /// Parks the connection in the pool: buffers go back to the worker.
    func parkIdle(now: UInt64) {
        phase = .idle
        reused = true
        readReady = false
        headDone = false
        releaseBuffers()
        setDeadline(now + pool.upstream.idleTimeout)
    }

    private func releaseBuffers() {
        if let b = out {
            worker.writePool.give(b)
            out = nil
        }
        if let b = inBuf {
            worker.readPool.give(b)
            inBuf = nil
        }
    }

    func activate(for c: ClientConnection) {
        // A new connection still connecting (TCP or TLS) stays so; a pooled one is ready.
        if phase != .connecting { phase = .active }
        client = c
        deadline = .max
    }
}
