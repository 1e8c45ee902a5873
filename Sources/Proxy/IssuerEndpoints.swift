import Issuer
import RateLimit

/// The gateway's own endpoints: the built-in issuer's login, refresh, logout, register and JWKS.
public enum LocalEndpoint: Sendable, Equatable {
    case login, refresh, logout, register, jwks

    var name: String {
        switch self {
        case .login: return "issuer.login"
        case .refresh: return "issuer.refresh"
        case .logout: return "issuer.logout"
        case .register: return "issuer.register"
        case .jwks: return "issuer.jwks"
        }
    }

    /// The one method each endpoint answers (HEAD too for the JWKS).
    var method: [UInt8] { self == .jwks ? Array("GET".utf8) : Array("POST".utf8) }
}

/// The built-in issuer as the request path sees it: the endpoint table, its limits, and where its tokens
/// sit among the verifier's issuers. The `IssuerService` that does the slow work is started with the gateway.
public final class IssuerRuntime: Sendable {
    public let settings: IssuerSettings
    public let endpoints: [(path: [UInt8], endpoint: LocalEndpoint)]
    /// Index of the issuer's profile in the snapshot's `IssuerSet`: logout accepts only its tokens.
    public let profileIndex: Int
    public let loginPerIP: RateSpec
    public let loginPerUsername: RateSpec
    public let registerPerIP: RateSpec
    public let cors: CORSPolicy?
    /// `{"keys": [...]}`, made once.
    public let jwksDocument: [UInt8]
    /// Limiter ids, apart from every route's.
    let loginIPLimiter: Int
    let loginUsernameLimiter: Int
    let registerLimiter: Int

    /// Bodies of the issuer's endpoints are a few hundred bytes; anything larger is refused unread.
    static let maxBodyBytes = 16 << 10

    public init(
        settings: IssuerSettings, endpoints: [(path: [UInt8], endpoint: LocalEndpoint)], profileIndex: Int,
        loginPerIP: RateSpec, loginPerUsername: RateSpec, registerPerIP: RateSpec, cors: CORSPolicy?, jwksDocument: [UInt8],
        limiterIDs: (loginIP: Int, loginUser: Int, register: Int)
    ) {
        self.settings = settings
        self.endpoints = endpoints
        self.profileIndex = profileIndex
        self.loginPerIP = loginPerIP
        self.loginPerUsername = loginPerUsername
        self.registerPerIP = registerPerIP
        self.cors = cors
        self.jwksDocument = jwksDocument
        loginIPLimiter = limiterIDs.loginIP
        loginUsernameLimiter = limiterIDs.loginUser
        registerLimiter = limiterIDs.register
    }

    func with(databasePath: String) -> IssuerRuntime {
        var changed = settings
        changed.databasePath = databasePath
        return IssuerRuntime(
            settings: changed, endpoints: endpoints, profileIndex: profileIndex, loginPerIP: loginPerIP,
            loginPerUsername: loginPerUsername, registerPerIP: registerPerIP, cors: cors, jwksDocument: jwksDocument,
            limiterIDs: (loginIPLimiter, loginUsernameLimiter, registerLimiter))
    }

    func endpoint(for path: UnsafeRawBufferPointer) -> LocalEndpoint? {
        for e in endpoints where e.path.withUnsafeBytes({ equalBytes($0, path) }) { return e.endpoint }
        return nil
    }
}

/// Where the revocation store lives and how often a running gateway looks at it.
public struct StoreSettings: Sendable {
    public var path: String
    public var pollInterval: Duration
    public var pruneInterval: Duration
    public init(path: String, pollInterval: Duration, pruneInterval: Duration) {
        self.path = path
        self.pollInterval = pollInterval
        self.pruneInterval = pruneInterval
    }
}
