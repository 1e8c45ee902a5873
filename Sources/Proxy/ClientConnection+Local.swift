import EventLoop
import HTTP1
import Issuer
import JWT
import RateLimit

/// The built-in issuer's endpoints, answered by the gateway itself. The worker does the cheap parts (rate
/// limits, the small JSON body, verifying logout's token); password hashing and database commits run on the
/// issuer's own threads, and their answer comes back through the worker's inbox. The connection waits in
/// `.awaitingIssuer` meanwhile, and nothing it sent reaches an upstream.
extension ClientConnection {
    func admitLocal(
        _ endpoint: LocalEndpoint, issuer: IssuerRuntime, method: UnsafeRawBufferPointer, _ head: borrowing RequestHead,
        _ bytes: UnsafeRawBufferPointer
    ) -> Admission {
        let snap = worker.snapshot
        exchange.local = endpoint
        if let cors = issuer.cors { noteOrigin(cors, head, bytes) }
        if head.method == .options, issuer.cors != nil, CORSPolicy.requestedMethod(head, bytes) != nil {
            return exchange.corsAllowed ? .preflight : .reject(.corsOriginDenied)
        }
        let allowed = endpoint.method
        let accepted = allowed.withUnsafeBytes { equalBytes($0, method) } || (endpoint == .jwks && head.method == .head)
        guard accepted else { return .reject(.methodNotAllowed(endpoint == .jwks ? [allowed, Array("HEAD".utf8)] : [allowed])) }

        // Sign-in and sign-up have their own, stricter per-address limits: each attempt costs a password hash.
        let ipLimit: Route.Limit
        switch endpoint {
        case .login: ipLimit = .limited(issuer.loginPerIP, limiterID: issuer.loginIPLimiter)
        case .register: ipLimit = .limited(issuer.registerPerIP, limiterID: issuer.registerLimiter)
        case .refresh, .logout, .jwks: ipLimit = snap.rateLimit.defaultSpec.map { .limited($0, limiterID: snap.rateLimit.defaultLimiterID) } ?? .off
        }
        if let r = limitByIP(ipLimit, headers: snap.rateLimit.headers, head, bytes) { return .reject(r) }
        if endpoint == .jwks { return .local(endpoint) }

        switch head.framing {
        case .chunked: return .reject(.lengthRequired)
        case .contentLength(let n) where n > IssuerRuntime.maxBodyBytes: return .reject(.payloadTooLarge)
        case .contentLength(let n) where n > 0:
            // JSON only: a cross-site HTML form can send urlencoded or text/plain bodies without a preflight,
            // never application/json.
            guard isJSONContentType(head, bytes) else { return .reject(.unsupportedMediaType) }
        default:
            break
        }
        if endpoint == .logout {
            switch logoutToken(issuer: issuer, head, bytes) {
            case .accepted(let t): pendingLogout = t
            case .refused(let r): return .reject(r)
            }
        }
        return .local(endpoint)
    }

    /// Logout takes the bearer access token from the Authorization header only, and only one of this issuer's.
    private func logoutToken(issuer: IssuerRuntime, _ head: borrowing RequestHead, _ bytes: UnsafeRawBufferPointer) -> LogoutCheck {
        let location: TokenLocation
        switch findToken(head, bytes, cookie: nil, query: nil) {
        case .none: return .refused(.missingToken)
        case .ambiguous: return .refused(.ambiguousToken)
        case .malformedHeader: return .refused(.invalidToken(.malformed("the Authorization header is not \"Bearer <token>\"")))
        case .found(let loc): location = loc
        }
        let now = Int64(Clock.wallSeconds())
        let token: VerifiedToken
        switch worker.verifier.verify(UnsafeRawBufferPointer(rebasing: bytes[location.token]), now: now, allowedIssuers: [issuer.profileIndex]) {
        case .success(let t): token = t
        case .failure(let e): return .refused(.invalidToken(e))
        }
        if worker.revocations?.isRevoked(token) == true { return .refused(.tokenRevoked) }
        guard let jti = token.jti, !jti.isEmpty else { return .refused(.foreignToken) }
        // The verifier accepts a token until exp + leeway, and a revocation is dropped (at reload, restart or
        // prune) once its expiry has passed: it must last until the token's last accepted second, rounded up.
        let leeway = worker.snapshot.issuers.profiles[issuer.profileIndex].leeway
        let exp = token.expiresAt.map { RevocationView.seconds($0.rounded(.up)) } ?? now + issuer.settings.accessTTL
        let (sum, overflow) = exp.addingReportingOverflow(max(leeway, 0))
        let expiresAt = overflow ? Int64.max : sum
        return .accepted(PendingLogout(jti: jti, subject: token.subject, expiresAt: expiresAt))
    }

    /// Records the request's Origin for the answer's CORS headers.
    func noteOrigin(_ cors: CORSPolicy, _ head: borrowing RequestHead, _ bytes: UnsafeRawBufferPointer) {
        // Set without an Origin too: the answer still depends on Origin (Vary), and a shared cache must not
        // give a copy lacking the CORS headers to a browser's cross-origin request. A wildcard needs no Origin.
        exchange.cors = cors
        guard let origin = CORSPolicy.origin(head, bytes) else {
            exchange.corsAllowed = cors.anyOrigin
            return
        }
        exchange.corsOrigin.append(contentsOf: origin)
        exchange.corsAllowed = cors.allows(origin)
    }

    private func isJSONContentType(_ head: borrowing RequestHead, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var found = false
        for h in head.headers where h.kind == .other && h.nameEquals("content-type", in: bytes) {
            if found { return false }
            found = true
            let v = bytes[h.value]
            let type: StaticString = "application/json"
            let n = type.utf8CodeUnitCount
            guard v.count >= n else { return false }
            for i in 0..<n where asciiLower(v[v.startIndex + i]) != type.utf8Start[i] { return false }
            if v.count > n {
                let next = v[v.startIndex + n]
                if next != UInt8(ascii: ";") && next != 0x20 && next != 0x09 { return false }
            }
        }
        return found
    }

    // MARK: after admission

    /// Answers the JWKS at once, or starts collecting the JSON body of a POST.
    func startLocal(_ endpoint: LocalEndpoint) {
        guard let issuer = worker.snapshot.issuer else { return }
        if endpoint == .jwks {
            writeLocalReply(status: 200, body: issuer.jwksDocument, cacheSeconds: 300)
            return
        }
        localBody.removeAll(keepingCapacity: true)
        if case .contentLength(let n) = exchange.requestFraming {
            exchange.bodyRemaining = n
            exchange.requestBodyDone = n == 0
        } else {
            exchange.bodyRemaining = 0
            exchange.requestBodyDone = true
        }
        if exchange.expectContinue && !exchange.requestBodyDone && (inBuf?.isEmpty ?? true) {
            acquireOutBuf().append("HTTP/1.1 100 Continue\r\n\r\n")
        }
        phase = .localBody
        setDeadline(worker.loop.now + worker.snapshot.timeouts.bodyIdle)
        _ = pumpLocalBody()
    }

    /// Moves body bytes into `localBody`; dispatches once the body is whole. Returns true if anything moved.
    func pumpLocalBody() -> Bool {
        var moved = false
        if exchange.bodyRemaining > 0, let b = inBuf, !b.isEmpty {
            let n = min(exchange.bodyRemaining, b.readableCount)
            localBody.append(contentsOf: UnsafeRawBufferPointer(rebasing: b.readable[0..<n]))
            b.consume(n)
            exchange.bodyRemaining -= n
            moved = true
        }
        if exchange.bodyRemaining == 0 {
            // The body is consumed: a rejection from here on must not try to discard it again.
            exchange.requestFraming = .none
            exchange.requestBodyDone = true
            dispatchLocal()
            return true
        }
        return moved
    }

    private func dispatchLocal() {
        guard let issuer = worker.snapshot.issuer, let service = worker.issuerService, let endpoint = exchange.local else {
            reject(.issuerBusy)
            return
        }
        let request: IssuerRequest
        switch endpoint {
        case .login:
            switch IssuerRequestParser.login(localBody) {
            case .failure(let reply): return writeLocalReply(reply)
            case .success(let credentials):
                // Per username as well as per address: a botnet guessing one account's password from many
                // addresses is slowed down too.
                let key = ClientKey.subject("login\u{0}" + credentials.username)
                if let r = takeToken(key, limiterID: issuer.loginUsernameLimiter, spec: issuer.loginPerUsername, headers: false) {
                    return reject(r)
                }
                request = .login(username: credentials.username, password: credentials.password)
            }
        case .register:
            switch IssuerRequestParser.register(localBody) {
            case .failure(let reply): return writeLocalReply(reply)
            case .success(let credentials): request = .register(username: credentials.username, password: credentials.password)
            }
        case .refresh:
            switch IssuerRequestParser.refresh(localBody) {
            case .failure(let reply): return writeLocalReply(reply)
            case .success(let token): request = .refresh(refreshToken: token)
            }
        case .logout:
            guard let pending = pendingLogout else { return reject(.missingToken) }
            switch IssuerRequestParser.logout(localBody) {
            case .failure(let reply): return writeLocalReply(reply)
            case .success(let refreshToken):
                request = .logout(jti: pending.jti, subject: pending.subject, expiresAt: pending.expiresAt, refreshToken: refreshToken)
            }
        case .jwks:
            return
        }
        localBody.removeAll(keepingCapacity: true)
        pendingLogout = nil
        let ticket = worker.awaitIssuer(self)
        let inbox = worker.inbox
        guard service.submit(request, completion: { reply in inbox.deliver(ticket: ticket, reply: reply) }) else {
            worker.forgetIssuerWait(ticket)
            return reject(.issuerBusy)
        }
        issuerTicket = ticket
        phase = .awaitingIssuer
        // The service answers every job; this bounds the wait if its queue is long.
        setDeadline(worker.loop.now + worker.snapshot.timeouts.upstreamResponse)
    }

    /// The issuer's answer arrived through the worker's inbox.
    func issuerAnswered(_ reply: IssuerReply) {
        guard phase == .awaitingIssuer else { return }
        issuerTicket = 0
        writeLocalReply(reply)
        drive()
    }

    private func writeLocalReply(_ reply: IssuerReply) {
        writeLocalReply(status: reply.status, body: reply.body, cacheSeconds: nil)
    }

    private func writeLocalReply(status: Int, body: [UInt8], cacheSeconds: Int?) {
        // A body still unread (the JWKS is answered without reading one) would be parsed as the next request,
        // where a front proxy sees a body: a request-smuggling desync. Such a connection closes after the answer.
        let bodyRead: Bool
        switch exchange.requestFraming {
        case .none, .contentLength(0): bodyRead = true
        case .contentLength, .chunked: bodyRead = false
        }
        let keep = exchange.clientKeepAlive && bodyRead && !worker.draining
        let out = acquireOutBuf()
        ResponseWriter.writeLocal(
            status: status, body: body, into: out, requestID: exchange.requestID, realm: worker.snapshot.realmQuoted,
            keepAlive: keep, headRequest: exchange.isHead, exchange: exchange, cacheSeconds: cacheSeconds)
        exchange.status = status
        exchange.responseStarted = true
        worker.logExchange(self)
        exchange.active = false
        if keep { becomeIdle() } else { phase = .closing }
    }

    /// Answers an allowed CORS preflight: 204 with the route's CORS headers.
    func answerPreflight() {
        let keep = exchange.clientKeepAlive && exchange.requestFraming == .none && !worker.draining
        let out = acquireOutBuf()
        out.append("HTTP/1.1 204 No Content\r\nX-Request-Id: ")
        out.append(exchange.requestID)
        out.append("\r\n")
        exchange.cors?.writePreflightHeaders(origin: exchange.corsOrigin, into: out)
        out.append(keep ? "\r\n" : "Connection: close\r\n\r\n")
        exchange.status = 204
        worker.logExchange(self)
        exchange.active = false
        if keep { becomeIdle() } else { phase = .closing }
    }
}

enum LogoutCheck {
    case accepted(PendingLogout)
    case refused(Rejection)
}

/// What logout verified on the worker, carried to the issuer's thread.
struct PendingLogout {
    var jti: String
    var subject: String?
    var expiresAt: Int64
}
