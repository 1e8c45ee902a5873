/// The gateway's own token issuer (`issuer`): login, refresh, logout, register and JWKS endpoints that mint
/// tokens routes then verify like any other issuer's. Users and refresh tokens live in `store`.
public struct IssuerSectionConfig: Sendable, Equatable, Decodable {
    /// Its issuer-profile name, which route auth `issuers` lists may name; never a key of `issuers`.
    public var name = "gateway"
    /// The tokens' `iss`.
    public var iss: String
    /// Put in the tokens' `aud` and required on verification; empty: no `aud`.
    public var audiences: [String] = []
    public var accessTTL: Duration = .seconds(15 * 60)
    public var refreshTTL: Duration = .seconds(14 * 86_400)
    public var key: IssuerKeyConfig
    /// A single top-level claim name for the user's roles.
    public var rolesClaim = "roles"
    public var claims: IssuerClaims
    public var endpoints: IssuerEndpoints
    public var register: RegisterConfig
    /// Login attempts per client address.
    public var loginLimitPerIP = LimitSpec(rate: RateSpec(perSecond: 10.0 / 60, text: "10/m"), burst: 10)
    /// Login attempts per username, whatever address they come from: slows guessing one account's password.
    public var loginLimitPerUsername = LimitSpec(rate: RateSpec(perSecond: 5.0 / 60, text: "5/m"), burst: 5)
    /// Registrations per client address.
    public var registerLimit = LimitSpec(rate: RateSpec(perSecond: 5.0 / 3_600, text: "5/h"), burst: 5)
    public var passwordHash: PasswordHashConfig
    /// Cross-origin access to the issuer endpoints; nil: none.
    public var cors: CORSConfig?
    public var jsonPath: String

    /// Claims the issuer sets itself, which the roles must not overwrite.
    static let registeredClaims = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"]

    public init(from decoder: any Decoder) throws {
        let context = try DecodingContext.from(decoder)
        jsonPath = ConfigPath.render(decoder.codingPath)
        let r = try ObjectReader(decoder, known: ConfigKeys.issuerSection)
        if let given = r.decode("name", as: String.self) {
            name = given
            if !EntryName.isValid(given) { r.report("name", EntryName.rule) }
        }
        iss = r.require("iss", as: String.self) ?? ""
        if r.has("iss"), iss.isEmpty { r.report("iss", "must not be empty") }
        audiences = r.list("audiences", of: NonEmptyString.self)?.map(\.value) ?? []
        accessTTL = r.duration("access_ttl", default: accessTTL, in: .seconds(60)...(.seconds(86_400)))
        refreshTTL = r.duration("refresh_ttl", default: refreshTTL, in: .seconds(3_600)...(.seconds(365 * 86_400)))
        // A refresh token that dies first would make every session end at the first access token's expiry.
        if refreshTTL <= accessTTL {
            r.report(
                r.has("refresh_ttl") ? "refresh_ttl" : "access_ttl",
                "refresh_ttl (\(DurationText.format(refreshTTL))) must be longer than access_ttl (\(DurationText.format(accessTTL)))")
        }
        key = r.require("key", as: IssuerKeyConfig.self)
            ?? IssuerKeyConfig(kid: nil, algorithm: .es256, material: .secretEnv(""), jsonPath: r.path("key"))
        if let claim = r.decode("roles_claim", as: String.self) {
            rolesClaim = claim
            if claim.isEmpty || claim.contains(".") {
                r.report("roles_claim", "must be a single claim name without dots, such as \"roles\"")
            } else if IssuerSectionConfig.registeredClaims.contains(claim) {
                r.report("roles_claim", "\"\(claim)\" is a claim the issuer sets itself; choose another name, such as \"roles\"")
            }
        }
        claims = r.decode("claims", as: IssuerClaims.self) ?? IssuerClaims(jsonPath: r.path("claims"))
        endpoints = r.decode("endpoints", as: IssuerEndpoints.self) ?? IssuerEndpoints(jsonPath: r.path("endpoints"))
        register = r.decode("register", as: RegisterConfig.self) ?? RegisterConfig(jsonPath: r.path("register"))
        if let limits = r.decode("login_limit", as: LoginLimit.self) {
            loginLimitPerIP = limits.perIP ?? loginLimitPerIP
            loginLimitPerUsername = limits.perUsername ?? loginLimitPerUsername
        }
        registerLimit = r.decode("register_limit", as: LimitSpec.self) ?? registerLimit
        passwordHash =
            r.decode("password_hash", as: PasswordHashConfig.self) ?? PasswordHashConfig(jsonPath: r.path("password_hash"))
        context.corsDefaultMethods = CORSConfig.issuerMethods
        cors = r.decode("cors", as: CORSConfig.self)
    }
}

/// `issuer.login_limit`: the two login limits, each optional.
struct LoginLimit: Decodable {
    let perIP: LimitSpec?
    let perUsername: LimitSpec?

    init(from decoder: any Decoder) throws {
        let r = try ObjectReader(decoder, known: ConfigKeys.loginLimit)
        perIP = r.decode("per_ip", as: LimitSpec.self)
        perUsername = r.decode("per_username", as: LimitSpec.self)
    }
}

extension IssuerSectionConfig {
    /// The endpoints the issuer answers on: register only when enabled.
    public var servedEndpoints: [(key: String, path: String)] {
        endpoints.all.filter { $0.key != "register" || register.enabled }
    }
}
