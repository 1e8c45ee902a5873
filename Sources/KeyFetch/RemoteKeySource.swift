import JWT

/// Timing of one issuer's remote key set (the config's `jwks` object).
public struct JWKSSettings: Sendable, Equatable {
    /// Lifetime of fetched keys when the response has no `Cache-Control: max-age`.
    public var refresh: Duration
    /// Bounds a provider's max-age is clamped to: too short would hammer it, too long would miss a rotation.
    public var minRefresh: Duration
    public var maxRefresh: Duration
    /// At most one on-demand (unknown `kid`) fetch per cooldown; also the retry delay after a failure.
    public var cooldown: Duration
    /// How long past their lifetime the last good keys stay in use while the provider fails.
    public var maxStale: Duration
    /// Bound on one HTTP exchange (connect, request, whole response).
    public var timeout: Duration

    public init(
        refresh: Duration = .seconds(3600), minRefresh: Duration = .seconds(60), maxRefresh: Duration = .seconds(86400),
        cooldown: Duration = .seconds(30), maxStale: Duration = .seconds(86400), timeout: Duration = .seconds(5)
    ) {
        self.refresh = refresh
        self.minRefresh = minRefresh
        self.maxRefresh = maxRefresh
        self.cooldown = cooldown
        self.maxStale = maxStale
        self.timeout = timeout
    }

    /// How long keys fetched with this `max-age` (seconds; nil when absent) are fresh.
    public func lifetime(maxAge: Int?) -> Duration {
        let wanted = maxAge.map { Duration.seconds($0) } ?? refresh
        return min(max(wanted, minRefresh), max(minRefresh, maxRefresh))
    }
}

/// One issuer whose keys come from a JWK Set over HTTP(S).
public struct RemoteKeySource: Sendable {
    public enum Location: Sendable, Equatable {
        case jwksURI(String)
        /// `jwks_uri` is read from `issuer + "/.well-known/openid-configuration"` (OpenID Connect Discovery 1.0 §4).
        case discovery
    }

    /// Config name of the issuer, for logs.
    public var name: String
    /// The exact `iss` value; with discovery, the document's `issuer` must equal it.
    public var issuer: String
    public var location: Location
    /// Algorithms for keys without their own `alg` (see `JWKS.parse`); nil accepts only keys that name one.
    public var algorithms: [Algorithm]?
    public var settings: JWKSSettings
    /// Where fetched keys are published; the same object the issuer's `IssuerProfile.keySet` holds.
    public var keySet: KeySet
    /// PEM file of the CA that signs the provider's certificate; nil trusts the system store.
    public var caFile: String?

    public init(
        name: String, issuer: String, location: Location, algorithms: [Algorithm]? = nil,
        settings: JWKSSettings = JWKSSettings(), keySet: KeySet, caFile: String? = nil
    ) {
        self.name = name
        self.issuer = issuer
        self.location = location
        self.algorithms = algorithms
        self.settings = settings
        self.keySet = keySet
        self.caFile = caFile
    }
}
