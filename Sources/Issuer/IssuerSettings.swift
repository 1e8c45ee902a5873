import JWT
import Store

/// Everything the issuer needs, mapped from the configuration by the caller (this module does not read config).
public struct IssuerSettings: Sendable {
    /// The issuer-profile name routes refer to.
    public var name: String
    /// The `iss` claim of every token.
    public var iss: String
    /// Put in `aud`: a string for one, an array for several, absent for none.
    public var audiences: [String]
    /// Access-token lifetime in seconds.
    public var accessTTL: Int64
    /// Refresh-token lifetime in seconds.
    public var refreshTTL: Int64
    public var signingKey: SigningKey
    /// The claim name the user's roles go into.
    public var rolesClaim: String
    public var includeIssuedAt: Bool
    public var includeNotBefore: Bool
    public var includeRoles: Bool
    public var registerEnabled: Bool
    /// Roles a self-registered user gets.
    public var registerRoles: [String]
    /// Cost of new password hashes.
    public var scrypt: ScryptParameters
    public var databasePath: String
    /// Hashing/database threads.
    public var threads: Int
    /// Pending jobs beyond which `submit` refuses.
    public var maxQueued: Int

    public init(
        name: String = "gateway", iss: String, audiences: [String] = [], accessTTL: Int64 = 900,
        refreshTTL: Int64 = 1_209_600, signingKey: SigningKey, rolesClaim: String = "roles", includeIssuedAt: Bool = true,
        includeNotBefore: Bool = true, includeRoles: Bool = true, registerEnabled: Bool = false,
        registerRoles: [String] = [], scrypt: ScryptParameters = .default, databasePath: String, threads: Int = 2,
        maxQueued: Int = 64
    ) {
        self.name = name
        self.iss = iss
        self.audiences = audiences
        self.accessTTL = accessTTL
        self.refreshTTL = refreshTTL
        self.signingKey = signingKey
        self.rolesClaim = rolesClaim
        self.includeIssuedAt = includeIssuedAt
        self.includeNotBefore = includeNotBefore
        self.includeRoles = includeRoles
        self.registerEnabled = registerEnabled
        self.registerRoles = registerRoles
        self.scrypt = scrypt
        self.databasePath = databasePath
        self.threads = threads
        self.maxQueued = maxQueued
    }
}
