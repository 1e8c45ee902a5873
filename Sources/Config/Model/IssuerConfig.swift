/// A token issuer the gateway trusts, with the keys that verify its signatures.
public struct IssuerConfig: Sendable, Equatable, Decodable {
    public var name: String
    public var jsonPath: String
    /// Exact match against the token's `iss` claim.
    public var iss: String
    /// Empty: `aud` is not checked.
    public var audiences: [String] = []
    public var leeway: Duration = .seconds(30)
    public var requireExp = true
    /// Reject tokens whose `iat` is older than this.
    public var maxAge: Duration?
    /// Required `typ` header value.
    public var typ: String?
    public var rolesClaim = ClaimPath(text: "roles")
    public var scopesClaim = ClaimPath(text: "scope")
    /// Request headers set from verified claims (any client-sent copies are removed).
    public var identityHeaders: [IdentityHeader]
    /// Empty exactly when `discovery` is true.
    public var keys: [KeyConfig]
    /// The keys come from the `jwks_uri` in the issuer's OpenID configuration (`discoveryURL`).
    public var discovery = false
    /// Refresh settings of remote keys; the defaults when the issuer has none (then unused).
    public var jwks: RemoteKeysConfig

    public init(from decoder: any Decoder) throws {
        let context = try DecodingContext.from(decoder)
        name = EntryName.check(decoder, context: context)
        jsonPath = ConfigPath.render(decoder.codingPath)
        let r = try ObjectReader(decoder, known: ConfigKeys.issuer)
        iss = r.require("iss", as: String.self) ?? ""
        if r.has("iss"), iss.isEmpty { r.report("iss", "must not be empty") }
        audiences = r.list("audiences", of: NonEmptyString.self)?.map(\.value) ?? []
        leeway = r.duration("leeway", default: leeway, in: .zero...(.seconds(3_600)))
        requireExp = r.bool("require_exp", default: requireExp)
        maxAge = r.optionalDuration("max_age", in: .seconds(1)...(.seconds(3_650 * 86_400)))
        typ = r.decode("typ", as: NonEmptyString.self)?.value
        rolesClaim = r.decode("roles_claim", as: ClaimPath.self) ?? rolesClaim
        scopesClaim = r.decode("scopes_claim", as: ClaimPath.self) ?? scopesClaim
        identityHeaders = r.decode("identity_headers", as: NamedEntries<IdentityHeader>.self)?.values ?? [
            IdentityHeader(name: "X-Auth-Subject", claim: ClaimPath(text: "sub")),
            IdentityHeader(name: "X-Auth-Roles", claim: rolesClaim),
            IdentityHeader(name: "X-Auth-Issuer", claim: ClaimPath(text: "iss")),
        ]
        for (i, header) in identityHeaders.enumerated()
        where identityHeaders[..<i].contains(where: { $0.name.lowercased() == header.name.lowercased() }) {
            context.report(
                ConfigPath.child(r.path("identity_headers"), header.name), "header \(header.name) is listed twice (names are case-insensitive)")
        }
        discovery = r.bool("discovery", default: discovery)
        keys = r.decode("keys", as: KeyList.self)?.keys ?? []
        if discovery, r.has("keys") {
            r.report("discovery", "discovery fetches the keys named by the issuer; remove keys or discovery")
        } else if !discovery, !r.has("keys") {
            r.report("keys", "missing required key; give keys, or \"discovery\": true to fetch them from the issuer")
        } else if case .array(let elements)? = r.rawValue("keys"), elements.isEmpty {
            r.report("keys", "at least one key is required")
        }
        if discovery, !iss.isEmpty, let problem = RemoteURL.check(iss) {
            r.report("iss", "with discovery, \(problem)")
        }
        for (i, key) in keys.enumerated() {
            if case .jwksURI = key.material, keys.count > 1 {
                // The JWKS replaces the issuer's key set on every refresh, so keys beside it would come and go.
                context.report(key.jsonPath, "an issuer with a jwks_uri key takes all its keys from it; put other keys in another issuer")
            }
            guard let kid = key.kid, keys[..<i].contains(where: { $0.kid == kid }) else { continue }
            context.report(ConfigPath.child(key.jsonPath, "kid"), "kid \"\(kid)\" is used by another key of this issuer")
        }
        jwks = RemoteKeysConfig(jsonPath: r.path("jwks"))
        if r.has("jwks") {
            jwks = r.decode("jwks", as: RemoteKeysConfig.self) ?? jwks
            if !discovery, !keys.isEmpty, !usesRemoteKeys {
                r.report("jwks", "only used with a jwks_uri key or \"discovery\": true")
            }
        }
    }
}

extension IssuerConfig {
    /// True when the keys are fetched over the network (a `jwks_uri` key or discovery) and refreshed per `jwks`.
    public var usesRemoteKeys: Bool {
        discovery || keys.contains { if case .jwksURI = $0.material { true } else { false } }
    }

    /// With discovery: iss (without a trailing "/") + "/.well-known/openid-configuration" (OpenID Connect Discovery 1.0, 4).
    public var discoveryURL: String? {
        guard discovery else { return nil }
        return (iss.hasSuffix("/") ? String(iss.dropLast()) : iss) + "/.well-known/openid-configuration"
    }
}

/// A list of keys decoded element by element.
struct KeyList: Decodable {
    let keys: [KeyConfig]

    init(from decoder: any Decoder) throws {
        keys = ObjectReader.elements(of: try decoder.unkeyedContainer(), context: try DecodingContext.from(decoder)).map(\.value)
    }
}

/// A dotted path into the claim set: "roles", "realm_access.roles".
public struct ClaimPath: Sendable, Equatable, Decodable, CustomStringConvertible {
    public var text: String
    public var segments: [String]
    public var description: String { text }

    init(text: String) {
        self.text = text
        segments = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.string(expecting: "a claim name such as \"roles\" or \"realm_access.roles\"")
        self.init(text: text)
        guard segments.allSatisfy({ !$0.isEmpty }) else {
            throw decoder.invalid("invalid claim path \"\(text)\" (names separated by single dots)")
        }
    }
}

/// A request header the gateway sets from a verified claim.
public struct IdentityHeader: Sendable, Equatable, Decodable {
    public var name: String
    public var claim: ClaimPath

    init(name: String, claim: ClaimPath) {
        self.name = name
        self.claim = claim
    }

    // Framing and routing headers belong to the gateway; letting a claim set them would let a token holder
    // smuggle requests or redirect them.
    static let reserved: Set<String> = [
        "host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer",
        "proxy-connection", "authorization", "cookie", "expect",
    ]

    public init(from decoder: any Decoder) throws {
        let context = try DecodingContext.from(decoder)
        name = decoder.codingPath.last?.stringValue ?? ""
        claim = try ClaimPath(from: decoder)
        if !Names.isToken(name) {
            context.report(decoder.codingPath, "\"\(name)\" is not a valid header name")
        } else if IdentityHeader.reserved.contains(name.lowercased()) {
            context.report(decoder.codingPath, "the gateway does not let claims set \(name)")
        }
    }
}

/// A string that must not be empty.
struct NonEmptyString: Decodable {
    let value: String

    init(from decoder: any Decoder) throws {
        value = try decoder.string(expecting: "a string")
        if value.isEmpty { throw decoder.invalid("must not be empty") }
    }
}
