/// Everything the gateway trusts about one token issuer, fixed at config load.
public struct IssuerProfile: Sendable {
    /// Config name, for logs and `gateway explain`.
    public var name: String
    /// The exact `iss` value tokens must carry.
    public var issuer: String
    /// Accepted `aud` values; empty means `aud` is not checked.
    public var audiences: [String]
    /// Static keys, fixed at config load; unused when `keySet` is set.
    public var keys: [VerificationKey]
    /// Keys fetched from a remote JWK Set, replaced while the gateway runs; nil for static keys.
    public var keySet: KeySet?
    /// Clock skew tolerated on `exp`, `nbf`, `iat`, in seconds.
    public var leeway: Int64
    public var requireExp: Bool
    /// Maximum seconds since `iat`; when set, `iat` is required.
    public var maxAge: Int64?
    /// Required JOSE `typ` (e.g. "at+jwt"); "application/" prefix and case are ignored (RFC 7515 §4.1.9).
    public var requiredTyp: String?
    public var rolesClaim: ClaimPath
    public var scopesClaim: ClaimPath
    /// Request headers sent upstream, each filled from a claim.
    public var identityHeaders: [(header: String, claim: ClaimPath)]

    /// `identityHeaders` nil means the defaults: X-Auth-Subject ← sub, X-Auth-Roles ← `rolesClaim`,
    /// X-Auth-Issuer ← iss.
    public init(
        name: String, issuer: String, audiences: [String] = [], keys: [VerificationKey], leeway: Int64 = 30,
        requireExp: Bool = true, maxAge: Int64? = nil, requiredTyp: String? = nil,
        rolesClaim: ClaimPath = .roles, scopesClaim: ClaimPath = .scope,
        identityHeaders: [(header: String, claim: ClaimPath)]? = nil, keySet: KeySet? = nil
    ) {
        self.name = name
        self.issuer = issuer
        self.audiences = audiences
        self.keys = keys
        self.keySet = keySet
        self.leeway = leeway
        self.requireExp = requireExp
        self.maxAge = maxAge
        self.requiredTyp = requiredTyp
        self.rolesClaim = rolesClaim
        self.scopesClaim = scopesClaim
        self.identityHeaders =
            identityHeaders ?? [
                (header: "X-Auth-Subject", claim: .subject),
                (header: "X-Auth-Roles", claim: rolesClaim),
                (header: "X-Auth-Issuer", claim: .issuer),
            ]
    }
}

/// The configured issuers, immutable and shared by all workers. Indexes are stable for the
/// lifetime of the set and are what routes use to restrict issuers.
public struct IssuerSet: Sendable {
    public let profiles: [IssuerProfile]

    /// Issuer strings should be unique (Config rejects duplicates); if not, the first wins.
    public init(_ profiles: [IssuerProfile]) {
        self.profiles = profiles
    }

    /// Linear scan: a gateway trusts a handful of issuers.
    public func index(of issuer: String) -> Int? {
        profiles.firstIndex { $0.issuer.utf8.elementsEqual(issuer.utf8) }
    }

    public func profile(for issuer: String) -> IssuerProfile? {
        index(of: issuer).map { profiles[$0] }
    }
}
