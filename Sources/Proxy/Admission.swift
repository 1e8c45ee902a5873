import EventLoop
import HTTP1
import JWT
import Policy
import Issuer
import RateLimit

/// The decision for one request head, in the order the style guide gives: route → limit → token → verify →
/// authorize. Each step is one call that returns a value or a `Rejection`.
enum Admission {
    case forward(route: Int, token: VerifiedToken?)
    case reject(Rejection)
    /// `OPTIONS *`: answered by the gateway itself.
    case serverOptions
    /// A CORS preflight of an allowed origin: answered by the gateway, never forwarded, no token needed.
    case preflight
    /// One of the built-in issuer's endpoints.
    case local(LocalEndpoint)
}

/// Where a request's token was found: a slice of the read buffer, plus the query parameter to drop when
/// the token came from the query string.
struct TokenLocation {
    var token: Range<Int>
    var queryParameter: Range<Int>?
}

enum TokenSearch {
    case none
    case found(TokenLocation)
    case ambiguous
    case malformedHeader
}

extension ClientConnection {
    func admit(_ head: borrowing RequestHead, _ bytes: UnsafeRawBufferPointer) -> Admission {
        let snap = worker.snapshot
        let target = UnsafeRawBufferPointer(rebasing: bytes[head.target])
        if target.count == 1 && target[0] == UInt8(ascii: "*") { return .serverOptions }

        let normalized: NormalizedTarget
        switch PathNormalizer.normalize(target, into: &worker.path) {
        case .success(let n): normalized = n
        case .failure(let e): return .reject(.malformed(e))
        }
        worker.queryStart = normalized.queryStart
        worker.tokenQueryParameter = nil

        let method = UnsafeRawBufferPointer(rebasing: bytes[head.methodRange])
        if let issuer = snap.issuer, let endpoint = worker.path.withUnsafeBytes({ issuer.endpoint(for: $0) }) {
            return admitLocal(endpoint, issuer: issuer, method: method, head, bytes)
        }
        let host: UnsafeRawBufferPointer? = head.hostIndex >= 0 ? UnsafeRawBufferPointer(rebasing: bytes[head.headers[head.hostIndex].value]) : nil
        // A preflight is routed by the method it asks about: the route it concerns need not accept OPTIONS.
        let preflightMethod = head.method == .options ? CORSPolicy.requestedMethod(head, bytes) : nil
        let match = worker.path.withUnsafeBytes { snap.routes.match(method: preflightMethod ?? method, path: $0, host: host) }
        let routeIndex: Int
        switch match {
        case .route(let i): routeIndex = i
        case .notFound: return .reject(.notFound)
        case .methodNotAllowed(let allowed): return .reject(.methodNotAllowed(allowed))
        }
        let route = snap.routes.routes[routeIndex]
        exchange.routeIndex = routeIndex
        exchange.route = route
        if let cors = route.cors { noteOrigin(cors, head, bytes) }
        if preflightMethod != nil {
            if route.cors != nil {
                if let r = limitByIP(route.ipLimit, headers: route.rateLimitHeaders, head, bytes) { return .reject(r) }
                return exchange.corsAllowed ? .preflight : .reject(.corsOriginDenied)
            }
            // Not a CORS route: an ordinary OPTIONS request, routed by its own method.
            switch worker.path.withUnsafeBytes({ snap.routes.match(method: method, path: $0, host: host) }) {
            case .route(let i) where i == routeIndex: break
            case .route, .notFound: return .reject(.notFound)
            case .methodNotAllowed(let allowed): return .reject(.methodNotAllowed(allowed))
            }
        }

        // A legacy API may split on a decoded %2F differently from our router; only routes that opted in
        // receive it, still encoded.
        if normalized.hasEncodedSlash && !route.allowEncodedSlash { return .reject(.encodedSlash) }
        if case .contentLength(let n) = head.framing, n > route.maxBodyBytes { return .reject(.payloadTooLarge) }

        if let r = limitByIP(route.ipLimit, headers: route.rateLimitHeaders, head, bytes) { return .reject(r) }

        let rule = route.policy.rule(for: method)
        guard rule.requiresToken else { return .forward(route: routeIndex, token: nil) }

        let location: TokenLocation
        switch findToken(head, bytes, cookie: route.tokenCookie, query: route.tokenQuery) {
        case .none: return .reject(.missingToken)
        case .ambiguous: return .reject(.ambiguousToken)
        case .malformedHeader: return .reject(.invalidToken(.malformed("the Authorization header is not \"Bearer <token>\"")))
        case .found(let loc): location = loc
        }
        worker.tokenQueryParameter = location.queryParameter

        let now = Int64(Clock.wallSeconds())
        let token: VerifiedToken
        switch worker.verifier.verify(UnsafeRawBufferPointer(rebasing: bytes[location.token]), now: now, allowedIssuers: route.policy.issuers) {
        case .success(let t):
            worker.metrics.jwtVerified(ok: true)
            token = t
        case .failure(let e):
            worker.metrics.jwtVerified(ok: false)
            return .reject(e == .keysUnavailable ? .keysUnavailable : .invalidToken(e))
        }
        if worker.revocations?.isRevoked(token) == true { return .reject(.tokenRevoked) }
        let profile = snap.issuers.profiles[token.issuerIndex]
        if case .deny(let missing) = Authorizer.evaluate(rule, token: token, profile: profile) {
            return .reject(.forbidden(missing: missing))
        }
        if case .limited(let spec, let limiterID) = route.subjectLimit {
            // Keyed by issuer and subject: "alice" of one issuer is not "alice" of another, and must not be
            // able to drain her bucket. Tokens without a subject share one bucket per issuer.
            let key = ClientKey.subject("\(token.issuerIndex)\u{0}\(token.subject ?? "")")
            if let r = takeToken(key, limiterID: limiterID, spec: spec, headers: route.rateLimitHeaders) { return .reject(r) }
        }
        return .forward(route: routeIndex, token: token)
    }

    /// The per-client-address limit, before any token work so that a flood of bad tokens is cheap to refuse.
    func limitByIP(_ limit: Route.Limit, headers: Bool, _ head: borrowing RequestHead, _ bytes: UnsafeRawBufferPointer) -> Rejection? {
        guard case .limited(let spec, let limiterID) = limit else { return nil }
        let key = ClientKey.ip(clientIP(head, bytes), ipv6Prefix: worker.snapshot.rateLimit.ipv6Prefix)
        return takeToken(key, limiterID: limiterID, spec: spec, headers: headers)
    }

    func takeToken(_ key: ClientKey, limiterID: Int, spec: RateSpec, headers: Bool) -> Rejection? {
        let snap = worker.snapshot
        switch snap.rateLimit.limiter.take(key, limiterID: limiterID, spec: spec, now: worker.loop.now) {
        case .allowed(let remaining, let reset):
            if headers {
                // With two limiters (IP and subject) the tighter one is reported.
                if exchange.rateInfo == nil || remaining < exchange.rateInfo?.remaining ?? Int.max {
                    exchange.rateInfo = RateLimitInfo(limit: spec.burst, remaining: remaining, resetSeconds: reset, retryAfter: 0)
                }
            }
            return nil
        case .limited(let retryAfter, let reset):
            return .rateLimited(RateLimitInfo(limit: spec.burst, remaining: 0, resetSeconds: reset, retryAfter: retryAfter))
        }
    }

    /// The TCP peer, unless it is a trusted proxy: then the right-most untrusted X-Forwarded-For hop.
    func clientIP(_ head: borrowing RequestHead, _ bytes: UnsafeRawBufferPointer) -> IPAddress {
        let trusted = worker.snapshot.rateLimit.trustedProxies
        guard !trusted.isEmpty, trusted.contains(peer) else { return peer }
        var values: [UnsafeRawBufferPointer] = []
        for h in head.headers where h.kind == .xForwardedFor {
            values.append(UnsafeRawBufferPointer(rebasing: bytes[h.value]))
        }
        return trusted.resolveClient(peer: peer, forwardedFor: values)
    }

    /// Finds the bearer token: the Authorization header, then the route's cookie and query parameter. More
    /// than one token is refused rather than choosing one, as Envoy's jwt_authn does: a proxy and the API
    /// behind it must never disagree about which credential a request carried.
    func findToken(_ head: borrowing RequestHead, _ bytes: UnsafeRawBufferPointer, cookie: [UInt8]?, query: [UInt8]?) -> TokenSearch {
        var found: TokenLocation? = nil
        var count = 0
        for h in head.headers where h.kind == .authorization {
            count += 1
            if count > 1 { return .ambiguous }
            let v = h.value
            // "Bearer" SP token, the scheme case-insensitive (RFC 9110 §11.1), exactly one space.
            guard v.count > 7 else {
                if v.count >= 6, schemeIsBearer(bytes, v.lowerBound) { return .malformedHeader }
                continue
            }
            guard schemeIsBearer(bytes, v.lowerBound) else { continue }
            guard bytes[v.lowerBound + 6] == 0x20 else { return .malformedHeader }
            let t = (v.lowerBound + 7)..<v.upperBound
            for i in t where bytes[i] == 0x20 || bytes[i] == 0x09 { return .malformedHeader }
            found = TokenLocation(token: t, queryParameter: nil)
        }
        if let cookieName = cookie {
            for h in head.headers where h.kind == .cookie {
                switch cookieValue(named: cookieName, in: bytes, h.value) {
                case .none: break
                case .several: return .ambiguous
                case .one(let t):
                    if found != nil { return .ambiguous }
                    found = TokenLocation(token: t, queryParameter: nil)
                }
            }
        }
        if let qname = query, let qs = worker.queryStart {
            let q = (head.target.lowerBound + qs)..<head.target.upperBound
            switch queryParameter(named: qname, in: bytes, q) {
            case .none: break
            case .several: return .ambiguous
            case .one(let value, let whole):
                if found != nil { return .ambiguous }
                found = TokenLocation(token: value, queryParameter: whole)
            }
        }
        if let f = found {
            return f.token.isEmpty ? .malformedHeader : .found(f)
        }
        return .none
    }

    private func schemeIsBearer(_ b: UnsafeRawBufferPointer, _ at: Int) -> Bool {
        let s: StaticString = "bearer"
        for i in 0..<6 where asciiLower(b[at + i]) != s.utf8Start[i] { return false }
        return true
    }

    enum CookieMatch {
        case none
        case one(Range<Int>)
        case several
    }

    /// The token cookie's value. A name that appears twice is refused: servers differ on which one they
    /// keep (Python's http.cookies keeps the last), and the API must read the value the gateway verified.
    private func cookieValue(named name: [UInt8], in b: UnsafeRawBufferPointer, _ r: Range<Int>) -> CookieMatch {
        var match = CookieMatch.none
        var i = r.lowerBound
        while i < r.upperBound {
            while i < r.upperBound && (b[i] == 0x20 || b[i] == UInt8(ascii: ";")) { i += 1 }
            let start = i
            while i < r.upperBound && b[i] != UInt8(ascii: ";") { i += 1 }
            let pair = start..<i
            if pair.count > name.count, b[start + name.count] == UInt8(ascii: "="),
                name.withUnsafeBytes({ equalBytes($0, UnsafeRawBufferPointer(rebasing: b[start..<(start + name.count)])) })
            {
                if case .one = match { return .several }
                var vs = start + name.count + 1
                var ve = i
                if ve - vs >= 2 && b[vs] == UInt8(ascii: "\"") && b[ve - 1] == UInt8(ascii: "\"") {
                    vs += 1
                    ve -= 1
                }
                match = .one(vs..<ve)
            }
        }
        return match
    }

    enum QueryMatch {
        case none
        case one(value: Range<Int>, whole: Range<Int>)
        case several
    }

    /// Finds the token parameter. Every parameter is compared with its name percent-decoded, as the API
    /// behind will decode it: "access%5Ftoken" is "access_token". A name that appears twice is refused, or
    /// the gateway could verify one value while the API reads the other.
    private func queryParameter(named name: [UInt8], in b: UnsafeRawBufferPointer, _ r: Range<Int>) -> QueryMatch {
        var match = QueryMatch.none
        var i = r.lowerBound
        while i < r.upperBound {
            let start = i
            while i < r.upperBound && b[i] != UInt8(ascii: "&") { i += 1 }
            var eq = start
            while eq < i && b[eq] != UInt8(ascii: "=") { eq += 1 }
            if decodedNameEquals(b, start..<eq, name) {
                if case .none = match {
                    let valueStart = min(eq + 1, i)
                    match = .one(value: valueStart..<i, whole: start..<i)
                } else {
                    return .several
                }
            }
            i += 1
        }
        return match
    }

    private func decodedNameEquals(_ b: UnsafeRawBufferPointer, _ r: Range<Int>, _ name: [UInt8]) -> Bool {
        var i = r.lowerBound
        var j = 0
        while i < r.upperBound {
            var c = b[i]
            if c == UInt8(ascii: "%"), i + 2 < r.upperBound, let h = hexValue(b[i + 1]), let l = hexValue(b[i + 2]) {
                c = h << 4 | l
                i += 3
            } else if c == UInt8(ascii: "+") {
                c = 0x20
                i += 1
            } else {
                i += 1
            }
            guard j < name.count, name[j] == c else { return false }
            j += 1
        }
        return j == name.count
    }

    private func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}
