import Config
import EventLoop
import Glibc
import HTTP1
import JWT
import KeyFetch
import Policy
import RateLimit

/// Turns a decoded, validated `GatewayConfig` into a `Snapshot`: loads keys (environment secrets, PEM files,
/// JWKS files), resolves addresses and compiles routes. Every problem is reported with its JSON path, all
/// at once, in the same form as the config decoder's, so `gateway check` shows one list.
public enum SnapshotBuilder {
    /// With `previous` (a reload), the rate-limit buckets of unchanged limits and the issuers of unchanged keys
    /// carry over; see `ReloadState`.
    public static func build(
        _ config: GatewayConfig, environment: (String) -> String? = { getenv($0).map { String(cString: $0) } },
        previous: Snapshot? = nil
    ) -> Result<Snapshot, ConfigErrors> {
        var problems: [ConfigProblem] = []
        var remoteSources: [RemoteKeySource] = []
        let issuersSource = issuersSource(config, environment: environment)
        let keepIssuers = previous.map { $0.reloadState.issuersSource == issuersSource } ?? false
        var limiterIDs = LimiterIDs(previous: previous?.reloadState.limiterIDs ?? [:], next: previous?.reloadState.nextLimiterID ?? 0)

        var listen: [SocketAddress] = []
        for (i, hp) in config.listen.enumerated() {
            if let a = SocketAddress(host: hp.host == "localhost" ? "127.0.0.1" : hp.host, port: hp.port) {
                listen.append(a)
            } else {
                problems.append(ConfigProblem(path: config.listen.count == 1 ? "listen" : "listen[\(i)]", message: "\"\(hp.text)\" is not an IP address and port"))
            }
        }
        let workers = config.workers ?? max(1, CPU.available)

        var limits = Limits()
        limits.head = HeadLimits(maxTargetBytes: config.limits.maxTargetBytes, maxHeadBytes: config.limits.maxHeadBytes, maxHeaderCount: config.limits.maxHeaders)
        limits.maxBodyBytes = config.limits.maxBodyBytes
        limits.maxTokenBytes = config.limits.maxTokenBytes
        limits.maxConnections = config.limits.maxConnections
        limits.maxConnectionsPerWorker = config.limits.maxConnectionsPerWorker ?? max(1, config.limits.maxConnections / workers)
        limits.maxConnectionsPerIP = config.limits.maxConnectionsPerIP
        limits.maxRequestsPerConnection = config.limits.maxRequestsPerConnection
        limits.drainBodyBytes = config.limits.drainBodyBytes

        var timeouts = Timeouts()
        timeouts.requestHead = config.timeouts.requestHead.nanoseconds
        timeouts.bodyIdle = config.timeouts.bodyIdle.nanoseconds
        timeouts.keepAlive = config.timeouts.keepAlive.nanoseconds
        timeouts.upstreamConnect = config.timeouts.upstreamConnect.nanoseconds
        timeouts.upstreamResponse = config.timeouts.upstreamResponse.nanoseconds
        timeouts.drain = config.timeouts.drain.nanoseconds

        var upstreams: [Upstream] = []
        for u in config.upstreams {
            var targets: [SocketAddress] = []
            for (i, t) in u.targets.enumerated() {
                if let a = SocketAddress(host: t.host == "localhost" ? "127.0.0.1" : t.host, port: t.port) {
                    targets.append(a)
                } else {
                    problems.append(ConfigProblem(path: "\(u.jsonPath).targets[\(i)]", message: "\"\(t.text)\" is not an IP address and port"))
                }
            }
            var up = Upstream(name: u.name, targets: targets)
            up.tls = upstreamTLS(u, problems: &problems)
            up.maxIdlePerTarget = u.maxIdle
            up.idleTimeout = u.idleTimeout.nanoseconds
            up.connectTimeout = u.connectTimeout.nanoseconds
            up.responseTimeout = u.responseTimeout.nanoseconds
            up.ejectAfter = max(1, u.ejectAfter)
            up.ejectFor = u.ejectFor.nanoseconds
            upstreams.append(up)
        }

        var profiles: [IssuerProfile] = []
        for issuer in config.issuers {
            var keys: [VerificationKey] = []
            for (k, key) in issuer.keys.enumerated() {
                let path = "\(issuer.jsonPath).keys[\(k)]"
                switch loadVerificationKeys(key, environment: environment) {
                case .success(let ks): keys += ks
                case .failure(let p): problems.append(ConfigProblem(path: path + p.suffix, message: p.message))
                }
            }
            let roles = claimPath(issuer.rolesClaim)
            let scopes = claimPath(issuer.scopesClaim)
            let remote = remoteKeySource(issuer, previous: previous)
            if let remote { remoteSources.append(remote) }
            profiles.append(IssuerProfile(
                name: issuer.name, issuer: issuer.iss, audiences: issuer.audiences, keys: keys,
                leeway: Int64(issuer.leeway.components.seconds), requireExp: issuer.requireExp,
                maxAge: issuer.maxAge.map { Int64($0.components.seconds) }, requiredTyp: issuer.typ,
                rolesClaim: roles, scopesClaim: scopes,
                identityHeaders: issuer.identityHeaders.map { (header: $0.name, claim: claimPath($0.claim)) },
                keySet: remote?.keySet))
        }
        var keyFetcher: KeyFetcher? = nil
        if !remoteSources.isEmpty {
            do throws(KeyFetchError) {
                keyFetcher = try KeyFetcher(sources: remoteSources, log: { event, fields in Lifecycle.log(event, fields) })
            } catch {
                problems.append(ConfigProblem(path: "issuers", message: error.message))
            }
        }
        var issuerNames = config.issuers.map(\.name)
        var builtIn: IssuerParts? = nil
        if let ic = config.issuer {
            switch issuerParts(ic, environment: environment) {
            case .success(let parts):
                builtIn = parts
                profiles.append(parts.profile)
                issuerNames.append(ic.name)
            case .failure(let p):
                problems.append(p.problem)
            }
        }
        let issuerSet = IssuerSet(profiles)

        var tlsSources: [String: [UInt8]] = [:]
        let listenTLS = listenerTLS(config.listeners, previous: previous, sources: &tlsSources, problems: &problems)

        var cidrs: [CIDR] = []
        for (i, block) in config.rateLimit.trustedProxies.enumerated() {
            if let c = CIDR(parsing: block.text) { cidrs.append(c) } else {
                problems.append(ConfigProblem(path: "rate_limit.trusted_proxies[\(i)]", message: "\"\(block.text)\" is not a CIDR block"))
            }
        }
        let defaultSpec = config.rateLimit.defaultLimit.flatMap { rateSpec($0) }
        let defaultLimiterID = config.rateLimit.defaultLimit.map { limiterIDs.id("default", $0) } ?? -1
        // The buckets live in the limiter: keeping it across a reload keeps every client's debt.
        let limiter = previous.flatMap { $0.rateLimit.maxKeys == config.rateLimit.maxKeys ? $0.rateLimit.limiter : nil }
        var rateLimit = RateLimitSettings(
            limiter: limiter ?? RateLimiter(maxKeys: config.rateLimit.maxKeys), defaultSpec: defaultSpec,
            trustedProxies: TrustedProxies(cidrs), ipv6Prefix: config.rateLimit.ipv6Prefix, headers: config.rateLimit.headers)
        rateLimit.maxKeys = config.rateLimit.maxKeys
        rateLimit.defaultLimiterID = defaultLimiterID

        var routes: [Route] = []
        for rc in config.routes {
            guard let upstreamIndex = config.upstreams.firstIndex(where: { $0.name == rc.upstream }) else { continue }
            let match: Route.PathMatch
            switch rc.match {
            case .exact(let p): match = .exact(Array(p.utf8))
            case .prefix(let p): match = .prefix(Array(p.utf8))
            }
            let policy = routePolicy(rc.auth, issuerNames: issuerNames)
            var ipLimit: Route.Limit = .off
            var subjectLimit: Route.Limit = .off
            var headers = config.rateLimit.headers
            switch rc.rateLimit {
            case .inherit:
                if let d = defaultSpec { ipLimit = .limited(d, limiterID: defaultLimiterID) }
            case .disabled:
                break
            case .custom(let l):
                if let s = rateSpec(l.perClient) { ipLimit = .limited(s, limiterID: limiterIDs.id("route \(rc.name) ip", l.perClient)) }
                if let b = l.bySubject, let s = rateSpec(b) { subjectLimit = .limited(s, limiterID: limiterIDs.id("route \(rc.name) sub", b)) }
                if let h = l.headers { headers = h }
            }
            routes.append(Route(
                name: rc.name, match: match, methods: rc.methods.map { Array($0.utf8) },
                host: rc.host.map { Array($0.lowercased().utf8) }, upstream: upstreamIndex, policy: policy,
                tokenCookie: rc.token.cookie.map { Array($0.utf8) }, tokenQuery: rc.token.query.map { Array($0.utf8) },
                forwardAuthorization: rc.forwardAuthorization, allowEncodedSlash: rc.allowEncodedSlash,
                ipLimit: ipLimit, subjectLimit: subjectLimit, rateLimitHeaders: headers, maxBodyBytes: rc.maxBodyBytes,
                cors: rc.cors.map { corsPolicy($0) }, upstreamName: rc.upstream))
        }

        let store = storeSettings(config)
        var issuer: IssuerRuntime? = nil
        if let ic = config.issuer, let parts = builtIn, let store {
            switch issuerRuntime(
                ic, parts: parts, profileIndex: profiles.count - 1, store: store,
                limiterIDs: (limiterIDs.id("issuer login ip", ic.loginLimitPerIP), limiterIDs.id("issuer login user", ic.loginLimitPerUsername), limiterIDs.id("issuer register ip", ic.registerLimit)),
                cpus: max(1, CPU.available))
            {
            case .success(let runtime): issuer = runtime
            case .failure(let p): problems.append(p.problem)
            }
        }

        let log: LogSettings
        switch config.log.access {
        case .off: log = LogSettings(access: .off)
        case .stderr: log = LogSettings(access: .stderr)
        case .stdout: log = LogSettings(access: .stdout)
        case .file(let p): log = LogSettings(access: .file(p.resolved))
        }

        if !problems.isEmpty { return .failure(ConfigErrors(problems: problems)) }
        var reloadState = ReloadState()
        reloadState.issuersSource = issuersSource
        reloadState.limiterIDs = limiterIDs.assigned
        reloadState.tlsSources = tlsSources
        reloadState.nextLimiterID = limiterIDs.next
        reloadState.servicesSource = [Array(String(describing: config.store).utf8), Array(String(describing: config.issuer).utf8)]
            + (config.issuer == nil ? [] : [issuersSource.last ?? []])
        reloadState.issuersID = (previous?.reloadState.issuersID ?? 0) + (keepIssuers ? 0 : 1)
        return .success(Snapshot(
            listen: listen, workers: workers, realm: config.realm, limits: limits, timeouts: timeouts,
            upstreams: upstreams, routes: RouteTable(routes), issuers: keepIssuers ? previous?.issuers ?? issuerSet : issuerSet,
            rateLimit: rateLimit, log: log, issuer: issuer, store: store, reloadState: reloadState,
            listenTLS: listenTLS, keyFetcher: keyFetcher))
    }

    /// A claim path from the config, read with the JWT module's parser so that a bracketed segment keeps its
    /// dots (Auth0's `["https://example.com/roles"]`); a plain dotted path reads the same either way.
    public static func claimPath(_ c: Config.ClaimPath) -> JWT.ClaimPath {
        JWT.ClaimPath(c.text) ?? JWT.ClaimPath(segments: c.segments)
    }

    static func rateSpec(_ l: LimitSpec) -> RateLimit.RateSpec? {
        RateLimit.RateSpec(rate: l.rate.perSecond, per: 1, burst: l.burst)
    }

    static func accessRule(_ rule: AuthRule) -> AccessRule {
        switch rule {
        case .public:
            return .publicAccess
        case .token(let req):
            if req.roles == nil && req.scopes == nil { return .authenticated }
            return .claims(roles: req.roles.map(roleRule), scopes: req.scopes.map(roleRule))
        }
    }

    private static func roleRule(_ r: ClaimRequirement) -> RoleRule {
        r.match == .any ? .any(r.values) : .all(r.values)
    }

    static func routePolicy(_ auth: AuthConfig, issuerNames: [String]) -> RoutePolicy {
        var names: [String] = []
        for rule in auth.allRules {
            if case .token(let req) = rule { for n in req.issuers where !names.contains(n) { names.append(n) } }
        }
        let indexes = names.compactMap { n in issuerNames.firstIndex(of: n) }
        return RoutePolicy(
            base: accessRule(auth.rule),
            perMethod: auth.methodRules.map { (methods: $0.methods, rule: accessRule($0.rule)) },
            issuers: indexes.isEmpty ? nil : indexes)
    }

    struct KeyProblem: Error {
        var suffix: String
        var message: String
    }

    static func algorithm(_ a: JWSAlgorithm) -> Algorithm {
        Algorithm(rawValue: a.rawValue) ?? .RS256
    }

    static func loadVerificationKeys(_ key: KeyConfig, environment: (String) -> String?) -> Result<[VerificationKey], KeyProblem> {
        switch key.material {
        case .secret(let alg, let env):
            guard let value = environment(env), !value.isEmpty else {
                return .failure(KeyProblem(suffix: ".secret_env", message: "environment variable \(env) is not set"))
            }
            do throws(KeyError) {
                return .success([try KeyLoader.hmacSecret(Array(value.utf8), algorithm: algorithm(alg), kid: key.kid)])
            } catch {
                return .failure(KeyProblem(suffix: ".secret_env", message: "\(env): \(error.message)"))
            }
        case .publicKey(let alg, let file, _):
            guard let pem = readFile(file.resolved) else {
                return .failure(KeyProblem(suffix: ".public_key", message: "cannot read \(file.original)"))
            }
            do throws(KeyError) {
                return .success([try KeyLoader.publicKeyPEM(pem, algorithm: algorithm(alg), kid: key.kid)])
            } catch {
                return .failure(KeyProblem(suffix: ".public_key", message: "\(file.original): \(error.message)"))
            }
        case .jwksURI:
            // Fetched at run time into the issuer's key set.
            return .success([])
        case .jwksFile(let file, let algs):
            guard let doc = readFile(file.resolved) else {
                return .failure(KeyProblem(suffix: ".jwks_file", message: "cannot read \(file.original)"))
            }
            do throws(KeyError) {
                let allowed = algs.isEmpty ? nil : algs.map(algorithm)
                return .success(try JWKS.parse(doc, allowedAlgorithms: allowed))
            } catch {
                return .failure(KeyProblem(suffix: ".jwks_file", message: "\(file.original): \(error.message)"))
            }
        }
    }

    /// Reads a whole (small) file; nil if it cannot be read or is over 1 MiB.
    public static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { return nil }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
            if result.count > 1 << 20 { return nil }
        }
        return result
    }
}
