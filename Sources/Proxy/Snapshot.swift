import EventLoop
import HTTP1
import JWT
import KeyFetch
import Policy
import RateLimit

/// Everything a worker needs to serve requests, built once from a validated `gateway.json` and never
/// mutated: workers share it without locks. A reload builds a new one.
public final class Snapshot: Sendable {
    public let listen: [SocketAddress]
    /// Per listen address (same order), its TLS settings or nil for plain HTTP; shorter than `listen` means plain.
    public let listenTLS: [ListenerTLS?]
    public let workers: Int
    public let realm: String
    public let limits: Limits
    public let timeouts: Timeouts
    public let upstreams: [Upstream]
    public let routes: RouteTable
    public let issuers: IssuerSet
    public let rateLimit: RateLimitSettings
    public let log: LogSettings
    /// The built-in token issuer, when the config has one.
    public let issuer: IssuerRuntime?
    /// The store of users, refresh tokens and revocations, when the config has one.
    public let store: StoreSettings?
    /// Fetches the keys of issuers with a jwks_uri or discovery; started by the gateway, not by building.
    public let keyFetcher: KeyFetcher?
    /// Lower-case names of every configured identity header: removed from every client request.
    public let identityHeaderNames: [[UInt8]]
    /// `realm` escaped for the WWW-Authenticate quoted-string, once.
    let realmQuoted: [UInt8]
    /// What a reload compares to decide what survives it; see `ReloadState`.
    public let reloadState: ReloadState

    public init(
        listen: [SocketAddress], workers: Int, realm: String, limits: Limits, timeouts: Timeouts,
        upstreams: [Upstream], routes: RouteTable, issuers: IssuerSet, rateLimit: RateLimitSettings, log: LogSettings,
        issuer: IssuerRuntime? = nil, store: StoreSettings? = nil, reloadState: ReloadState = ReloadState(), listenTLS: [ListenerTLS?] = [],
        keyFetcher: KeyFetcher? = nil
    ) {
        self.listen = listen
        self.listenTLS = listenTLS
        self.keyFetcher = keyFetcher
        self.workers = workers
        self.realm = realm
        self.limits = limits
        self.timeouts = timeouts
        self.upstreams = upstreams
        self.routes = routes
        self.issuers = issuers
        self.rateLimit = rateLimit
        self.log = log
        self.issuer = issuer
        self.store = store
        self.reloadState = reloadState
        var names: [[UInt8]] = []
        for p in issuers.profiles {
            for (header, _) in p.identityHeaders {
                let lower = Array(header.lowercased().utf8)
                if !names.contains(lower) { names.append(lower) }
            }
        }
        identityHeaderNames = names
        realmQuoted = ResponseWriter.quotedStringSafe(realm)
    }
}

public struct Limits: Sendable {
    public var head = HeadLimits()
    public var maxBodyBytes = 10 << 20
    public var maxTokenBytes = 8192
    public var maxConnections = 20_000
    public var maxConnectionsPerWorker = 20_000
    public var maxConnectionsPerIP = 256
    public var maxRequestsPerConnection = 10_000
    public var drainBodyBytes = 64 << 10
    public init() {}
}

/// Timeouts in nanoseconds of the monotonic clock.
public struct Timeouts: Sendable {
    public var requestHead: UInt64 = 10_000_000_000
    public var bodyIdle: UInt64 = 30_000_000_000
    public var keepAlive: UInt64 = 60_000_000_000
    public var upstreamConnect: UInt64 = 3_000_000_000
    public var upstreamResponse: UInt64 = 30_000_000_000
    public var drain: UInt64 = 10_000_000_000
    public init() {}
}

public struct Upstream: Sendable {
    public var name: String
    public var targets: [SocketAddress]
    public var maxIdlePerTarget: Int = 256
    public var idleTimeout: UInt64 = 60_000_000_000
    public var connectTimeout: UInt64 = 3_000_000_000
    public var responseTimeout: UInt64 = 30_000_000_000
    public var ejectAfter: Int = 3
    public var ejectFor: UInt64 = 10_000_000_000
    /// Per target (same order), TLS settings for an `https://` target or nil for plain HTTP.
    public var tls: [UpstreamTLS?] = []
    public init(name: String, targets: [SocketAddress]) {
        self.name = name
        self.targets = targets
    }
}

extension Upstream {
    /// Same name, targets and settings: a reload keeps this upstream's pools.
    func sameDefinition(as other: Upstream) -> Bool {
        name == other.name && targets.map(\.description) == other.targets.map(\.description)
            && maxIdlePerTarget == other.maxIdlePerTarget && idleTimeout == other.idleTimeout
            && connectTimeout == other.connectTimeout && responseTimeout == other.responseTimeout
            && ejectAfter == other.ejectAfter && ejectFor == other.ejectFor
            // TLS contexts are rebuilt by every reload (a CA file may have changed): such pools are renewed.
            && tls.isEmpty && other.tls.isEmpty
    }
}

public struct RateLimitSettings: Sendable {
    public var limiter: RateLimiter
    /// The `max_keys` the limiter was made with: a reload keeps the limiter (and its buckets) while it is unchanged.
    public var maxKeys = 0
    /// The limiter id of `defaultSpec`.
    public var defaultLimiterID = 0
    public var defaultSpec: RateSpec?
    public var trustedProxies: TrustedProxies
    public var ipv6Prefix: Int
    public var headers: Bool
    public init(limiter: RateLimiter, defaultSpec: RateSpec?, trustedProxies: TrustedProxies, ipv6Prefix: Int, headers: Bool) {
        self.limiter = limiter
        self.defaultSpec = defaultSpec
        self.trustedProxies = trustedProxies
        self.ipv6Prefix = ipv6Prefix
        self.headers = headers
    }
}

public struct LogSettings: Sendable {
    public enum Destination: Sendable, Equatable { case off, stderr, stdout, file(String) }
    public var access: Destination = .stderr
    public init(access: Destination = .stderr) { self.access = access }
}

/// What a reload carries over from the snapshot it replaces: the verifier's caches while every issuer and key
/// is unchanged, and the rate-limit buckets of every limit that keeps its meaning (the same route name, the
/// same rate and burst: the same limiter id).
public struct ReloadState: Sendable {
    /// Changes whenever the issuers, or any key material they were built from, change.
    public var issuersID = 0
    /// The issuers' config and every byte of key material (files and secrets) they were built from.
    var issuersSource: [[UInt8]] = []
    /// Limiter ids by what they limit ("route NAME ip RATE BURST").
    var limiterIDs: [String: Int] = [:]
    /// The first limiter id never assigned yet (ids of removed limits are not reused).
    var nextLimiterID = 0
    /// The store and issuer sections and the issuer's key: when it changes, a reload restarts those services.
    var servicesSource: [[UInt8]] = []
    /// Per TLS listen address: its settings and certificate bytes; unchanged, a reload keeps the context.
    var tlsSources: [String: [UInt8]] = [:]

    public init() {}
}

extension Snapshot {
    /// The same snapshot with the store (and the issuer's database) at another path: the demo's fresh one.
    public func with(storePath: String) -> Snapshot {
        var newStore = store
        newStore?.path = storePath
        return copy(issuer: issuer?.with(databasePath: storePath), store: newStore)
    }

    /// The same snapshot with another worker count (the `--workers` flag).
    public func with(workers: Int) -> Snapshot {
        copy(workers: workers)
    }

    /// Every field carried over but those given: one list, so a new field cannot be forgotten by one copy.
    private func copy(workers: Int? = nil, issuer: IssuerRuntime?? = nil, store: StoreSettings?? = nil) -> Snapshot {
        Snapshot(
            listen: listen, workers: workers ?? self.workers, realm: realm, limits: limits, timeouts: timeouts,
            upstreams: upstreams, routes: routes, issuers: issuers, rateLimit: rateLimit, log: log,
            issuer: issuer ?? self.issuer, store: store ?? self.store, reloadState: reloadState, listenTLS: listenTLS,
            keyFetcher: keyFetcher)
    }
}
