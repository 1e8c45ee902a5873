import EventLoop
import Glibc
import HTTP1
import JWT
import Policy
import RateLimit

/// Runs the gateway's whole decision for one request offline (`gateway explain`): the same normaliser,
/// router, verifier and policy code as the request path, with each check written down.
public struct Explainer {
    public let snapshot: Snapshot

    public init(snapshot: Snapshot) { self.snapshot = snapshot }

    public struct Report {
        public var lines: [String] = []
        public var status: Int = 0
        public var error: String? = nil
    }

    public func explain(method: String, target: String, host: String? = nil, token: String? = nil, now: Int64 = Int64(time(nil))) -> Report {
        var r = Report()
        func finish(_ status: Int, _ error: String?, _ line: String) -> Report {
            r.lines.append(line)
            r.status = status
            r.error = error
            return r
        }
        var path: [UInt8] = []
        let tbytes = Array(target.utf8)
        let normalized: NormalizedTarget
        switch tbytes.withUnsafeBytes({ PathNormalizer.normalize($0, into: &path) }) {
        case .failure(let e): return finish(e.status, e.code, "path: \(target) → rejected: \(e.message)")
        case .success(let n): normalized = n
        }
        let pathText = String(decoding: path, as: UTF8.self)
        r.lines.append("path: \(target) → normalised \(pathText)\(normalized.queryStart != nil ? " (query kept as sent)" : "")")
        let m = Array(method.utf8)
        let h = host.map { Array($0.utf8) }
        let match = m.withUnsafeBytes { mb in
            path.withUnsafeBytes { pb in
                if let h { return h.withUnsafeBytes { snapshot.routes.match(method: mb, path: pb, host: $0) } }
                return snapshot.routes.match(method: mb, path: pb, host: nil)
            }
        }
        let index: Int
        switch match {
        case .notFound:
            return finish(404, "not_found", "route: none of \(snapshot.routes.routes.count) routes matches \(method) \(pathText)\(host.map { " on host \($0)" } ?? "")")
        case .methodNotAllowed(let allowed):
            return finish(405, "method_not_allowed", "route: the path matches but \(method) is not allowed (Allow: \(allowed.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ", ")))")
        case .route(let i): index = i
        }
        let route = snapshot.routes.routes[index]
        r.lines.append("route: #\(index) \"\(route.name)\" → upstream \(snapshot.upstreams[route.upstream].name) (\(snapshot.upstreams[route.upstream].targets.map(\.description).joined(separator: ", ")))")
        if normalized.hasEncodedSlash && !route.allowEncodedSlash {
            return finish(400, "encoded_slash", "path: contains %2F and the route does not allow encoded slashes")
        }
        switch route.ipLimit {
        case .off: r.lines.append("rate limit (client IP): off")
        case .limited(let spec, let id):
            r.lines.append("rate limit (client IP): \(formatRate(spec)), burst \(spec.burst) (limiter \(id)); table holds \(snapshot.rateLimit.limiter.trackedKeys) of \(snapshot.rateLimit.limiter.capacity) keys")
        }
        if case .limited(let spec, let id) = route.subjectLimit {
            r.lines.append("rate limit (token subject): \(formatRate(spec)), burst \(spec.burst) (limiter \(id))")
        }
        let rule = route.policy.rule(for: method)
        r.lines.append("policy: \(describe(rule))\(route.policy.issuers.map { " from issuers \($0.map { snapshot.issuers.profiles[$0].name }.joined(separator: ", "))" } ?? "")")
        guard rule.requiresToken else { return finish(200, nil, "decision: forward (public route)") }
        guard let token else { return finish(401, "missing_token", "token: none given → 401 missing_token") }
        let verifier = TokenVerifier(issuers: snapshot.issuers, cacheCapacity: 0, maxTokenBytes: snapshot.limits.maxTokenBytes)
        let verified: VerifiedToken
        switch verifier.verify(token, now: now, allowedIssuers: route.policy.issuers) {
        case .failure(let e):
            let code = e == .expired ? "token_expired" : "invalid_token"
            return finish(401, code, "token: rejected: \(e.description) → 401 \(code)")
        case .success(let t): verified = t
        }
        let profile = snapshot.issuers.profiles[verified.issuerIndex]
        r.lines.append("token: valid, issuer \(profile.name), sub \(verified.subject ?? "(none)"), expires in \(Int64(verified.expiresAt ?? 0) - now)s")
        let (decision, lines) = Authorizer.explain(rule, token: verified, profile: profile)
        for l in lines { r.lines.append("check: \(l)") }
        if case .deny = decision { return finish(403, "insufficient_role", "decision: 403 insufficient_role") }
        for (name, value) in IdentityHeaders.render(token: verified, profile: profile) {
            r.lines.append("identity header: \(name): \(value)")
        }
        return finish(200, nil, "decision: forward")
    }

    private func formatRate(_ s: RateLimit.RateSpec) -> String {
        s.tokensPerSecond >= 1 ? "\(s.tokensPerSecond)/s" : "\(s.tokensPerSecond * 60)/min"
    }

    private func describe(_ rule: AccessRule) -> String {
        switch rule {
        case .publicAccess: return "public"
        case .authenticated: return "authenticated (any valid token)"
        case .claims(let roles, let scopes):
            var parts: [String] = []
            if let roles { parts.append("roles \(describe(roles))") }
            if let scopes { parts.append("scopes \(describe(scopes))") }
            return parts.joined(separator: " and ")
        }
    }

    private func describe(_ r: RoleRule) -> String {
        switch r {
        case .any(let v): return "any of [\(v.joined(separator: ", "))]"
        case .all(let v): return "all of [\(v.joined(separator: ", "))]"
        }
    }
}
