import EventLoop
import HTTP1
import JWT
import Policy

extension ClientConnection {
    /// Parses the head at the front of the read buffer. Returns true if the connection's state changed.
    func parseHead() -> Bool {
        guard let b = inBuf else { return false }
        let status = parser.parse(b.readable, into: &worker.head)
        switch status {
        case .needMore:
            if phase == .idle {
                phase = .readingHead
                setDeadline(worker.loop.now + worker.snapshot.timeouts.requestHead)
            }
            if b.writableCount == 0 {
                if b.readIndex > 0 {
                    b.compact()
                    return true
                }
                // A head larger than a pool buffer: grow once to the configured maximum (the parser answers
                // 431 before a head can outgrow it).
                let limit = worker.snapshot.limits.head.maxHeadBytes + 1024
                if b.capacity < limit {
                    b.grow(to: limit)
                    return true
                }
                parser.reset()
                beginExchangeForRejection()
                reject(.malformed(HTTPError(status: 431, code: "headers_too_large", message: "The request head is larger than allowed.")))
                return true
            }
            return false
        case .invalid(let e):
            parser.reset()
            beginExchangeForRejection()
            reject(.malformed(e))
            return true
        case .complete:
            parser.reset()
            startExchange()
            return true
        }
    }

    private func beginExchangeForRejection() {
        exchange.reset()
        exchange.active = true
        exchange.startNanos = worker.loop.now
        exchange.clientKeepAlive = false
        worker.generateRequestID(into: &exchange.requestID)
    }

    private func startExchange() {
        guard let b = inBuf else { return }
        let head = worker.head
        let bytes = b.readable
        exchange.reset()
        exchange.active = true
        exchange.startNanos = worker.loop.now
        exchange.method = head.method
        exchange.isHead = head.method == .head
        exchange.clientVersion = head.version
        exchange.requestFraming = head.framing
        exchange.expectContinue = head.expectContinue
        requestsServed += 1
        exchange.clientKeepAlive = head.keepAlive && requestsServed < worker.snapshot.limits.maxRequestsPerConnection && !worker.draining
        requestID(from: head, bytes)
        if worker.accessLog.enabled {
            exchange.logMethod.append(contentsOf: bytes[head.methodRange])
        }

        let decision = admit(head, bytes)
        if worker.accessLog.enabled {
            exchange.logPath.append(contentsOf: worker.path)
        }
        switch decision {
        case .forward(let routeIndex, let token):
            exchange.subject = token?.subject
            startForwarding(routeIndex: routeIndex, token: token, head: head, bytes)
        case .reject(let r):
            b.consume(head.headLength)
            reject(r)
        case .serverOptions:
            b.consume(head.headLength)
            answerServerOptions()
        case .preflight:
            b.consume(head.headLength)
            answerPreflight()
        case .local(let endpoint):
            b.consume(head.headLength)
            startLocal(endpoint)
        }
    }

    /// Echo a sane client X-Request-Id (token characters, at most 64 bytes) or make one.
    private func requestID(from head: RequestHead, _ bytes: UnsafeRawBufferPointer) {
        for h in head.headers where h.kind == .xRequestId {
            let v = bytes[h.value]
            guard !v.isEmpty, v.count <= 64, v.allSatisfy(isRequestIDByte) else { break }
            exchange.requestID.append(contentsOf: v)
            return
        }
        worker.generateRequestID(into: &exchange.requestID)
    }

    private func startForwarding(routeIndex: Int, token: VerifiedToken?, head: RequestHead, _ bytes: UnsafeRawBufferPointer) {
        guard let b = inBuf else { return }
        let snap = worker.snapshot
        let route = snap.routes.routes[routeIndex]
        guard let up = worker.pools[route.upstream].acquire(for: self) else {
            b.consume(head.headLength)
            reject(.upstreamUnavailable)
            return
        }
        upstream = up
        exchange.upstreamIndex = route.upstream
        exchange.targetIndex = up.targetIndex
        let out = up.acquireOut()
        ForwardedHead.write(
            head: head, bytes: bytes, path: worker.path, queryStart: worker.queryStart,
            dropQuery: worker.tokenQueryParameter, route: route, token: token, peerText: worker.peerText(of: self),
            requestID: exchange.requestID, identityNames: snap.identityHeaderNames,
            issuers: snap.issuers, targetHost: snap.upstreams[route.upstream].targets[up.targetIndex].description,
            secure: tls != nil, scratch: &worker.identityScratch, into: out)
        b.consume(head.headLength)

        switch head.framing {
        case .none:
            exchange.requestBodyDone = true
        case .contentLength(let n):
            exchange.bodyRemaining = n
            exchange.requestBodyDone = n == 0
        case .chunked:
            exchange.chunked = ChunkedDecoder(maxBodyBytes: route.maxBodyBytes)
            exchange.requestBodyDone = false
        }
        // Replaying on a fresh connection is safe only for idempotent methods whose whole request is in hand.
        exchange.retryable = exchange.requestBodyDone && head.method.isIdempotent
        up.retainRequestForRetry = exchange.retryable
        if exchange.expectContinue && !exchange.requestBodyDone && b.isEmpty {
            acquireOutBuf().append("HTTP/1.1 100 Continue\r\n\r\n")
        }
        phase = .forwarding
        setDeadline(exchange.requestBodyDone ? .max : worker.loop.now + snap.timeouts.bodyIdle)
        up.requestStarted(now: worker.loop.now)
    }

    /// Moves request body bytes from the read buffer to the upstream's output buffer. Returns true if any moved.
    func pumpRequestBody(into up: UpstreamConnection) -> Bool {
        guard let b = inBuf, let out = up.out else { return false }
        var moved = false
        switch exchange.requestFraming {
        case .none:
            exchange.requestBodyDone = true
        case .contentLength:
            let n = min(exchange.bodyRemaining, b.readableCount, out.writableCount)
            if n > 0 {
                out.append(UnsafeRawBufferPointer(rebasing: b.readable[0..<n]))
                b.consume(n)
                exchange.bodyRemaining -= n
                moved = true
            }
            if exchange.bodyRemaining == 0 { exchange.requestBodyDone = true }
        case .chunked:
            // Re-encoded, never passed through: the upstream sees canonical chunked framing without extensions
            // or trailers, so it cannot read the body differently from us.
            while !b.isEmpty && !exchange.requestBodyDone {
                let room = out.writableCount - 24
                if room <= 0 { break }
                let view = UnsafeRawBufferPointer(rebasing: b.readable[0..<min(b.readableCount, room)])
                let (event, consumed) = exchange.chunked.next(view)
                switch event {
                case .data(let r):
                    out.appendHex(r.count)
                    out.append("\r\n")
                    out.append(UnsafeRawBufferPointer(rebasing: view[r]))
                    out.append("\r\n")
                    b.consume(consumed)
                    moved = true
                case .needMore:
                    b.consume(consumed)
                    if consumed > 0 { moved = true }
                    return moved
                case .end:
                    b.consume(consumed)
                    out.append("0\r\n\r\n")
                    exchange.requestBodyDone = true
                    moved = true
                case .invalid(let e):
                    upstream = nil
                    up.abandon()
                    reject(.malformed(e))
                    return true
                }
            }
        }
        if exchange.requestBodyDone { setDeadline(.max) }
        return moved
    }

    /// Answers a rejected request. The body of a rejected request is never forwarded: a small one is read and
    /// discarded to keep the connection, a large or unframed one closes it.
    func reject(_ r: Rejection) {
        if !exchange.active {
            exchange.reset()
            exchange.active = true
            exchange.startNanos = worker.loop.now
            worker.generateRequestID(into: &exchange.requestID)
        }
        var keep = exchange.clientKeepAlive && !r.closesConnection && !worker.draining
        var discard = 0
        if !exchange.requestBodyDone || phase != .forwarding {
            switch exchange.requestFraming {
            case .none:
                break
            case .contentLength(let n):
                let pending = phase == .forwarding ? exchange.bodyRemaining : n
                if pending > 0 {
                    if pending <= worker.snapshot.limits.drainBodyBytes && !exchange.expectContinue {
                        discard = pending
                    } else {
                        keep = false
                    }
                }
            case .chunked:
                keep = false
            }
        }
        let out = acquireOutBuf()
        exchange.requestID.withUnsafeBytes { rid in
            ResponseWriter.write(
                r, into: out, requestID: rid, realm: worker.snapshot.realmQuoted, keepAlive: keep, headRequest: exchange.isHead,
                exchange: exchange, scratch: &worker.responseScratch)
        }
        exchange.status = r.status
        exchange.decision = MetricsDecision(r)
        exchange.responseStarted = true
        worker.logExchange(self)
        exchange.active = false
        if !keep {
            phase = .closing
        } else if discard > 0 {
            discardRemaining = discard
            phase = .discardingBody
            setDeadline(worker.loop.now + worker.snapshot.timeouts.bodyIdle)
        } else {
            becomeIdle()
        }
    }

    /// Reads and drops the body of a rejected request. Returns true if any byte was dropped.
    func discardBody() -> Bool {
        guard let b = inBuf, !b.isEmpty else { return false }
        let n = min(b.readableCount, discardRemaining)
        b.consume(n)
        discardRemaining -= n
        if discardRemaining == 0 { becomeIdle() }
        return n > 0
    }

    /// Back to waiting for the next request on a kept-alive connection.
    func becomeIdle() {
        exchange.reset()
        phase = .idle
        setDeadline(worker.loop.now + worker.snapshot.timeouts.keepAlive)
        if let b = inBuf, !b.isEmpty {
            phase = .readingHead
            setDeadline(worker.loop.now + worker.snapshot.timeouts.requestHead)
        } else {
            releaseBuffersIfIdle()
        }
        if worker.draining && phase == .idle { finishAndClose() }
    }

    private func answerServerOptions() {
        // A body on `OPTIONS *` is never read as the next request (a front proxy would count one request
        // where we would count two): the connection closes after the answer instead.
        let keep = exchange.clientKeepAlive && exchange.requestFraming == .none
        let out = acquireOutBuf()
        out.append("HTTP/1.1 204 No Content\r\nAllow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\nX-Request-Id: ")
        out.append(exchange.requestID)
        out.append(keep ? "\r\n\r\n" : "\r\nConnection: close\r\n\r\n")
        exchange.status = 204
        worker.logExchange(self)
        exchange.active = false
        if keep { becomeIdle() } else { phase = .closing }
    }

    // MARK: called by the upstream side

    /// The upstream could not produce a response (unreachable, invalid response, timeout).
    func upstreamFailed(_ r: Rejection) {
        upstream = nil
        if exchange.responseStarted {
            // Part of the response went out: all we can do is cut the connection so the client sees truncation.
            abort()
            return
        }
        if !exchange.requestBodyDone { exchange.clientKeepAlive = false }
        reject(r)
        drive()
    }

    /// The response was fully handed to the output buffer.
    func exchangeCompleted() {
        upstream = nil
        worker.logExchange(self)
        exchange.active = false
        let keep = exchange.clientKeepAlive && !closeAfterResponse && exchange.responseFraming != .untilClose && !worker.draining
            && exchange.requestBodyDone
        if keep {
            becomeIdle()
        } else {
            phase = .closing
        }
    }
}

@inline(__always)
func isRequestIDByte(_ c: UInt8) -> Bool {
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x2E || c == 0x5F || c == 0x3A
}

extension HTTPMethod {
    /// RFC 9110 §9.2.2.
    var isIdempotent: Bool {
        switch self {
        case .get, .head, .put, .delete, .options, .trace: return true
        default: return false
        }
    }
}
