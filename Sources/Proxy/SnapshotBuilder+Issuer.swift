import Config
import Issuer
import JWT
import RateLimit
import Store

/// The `store` and `issuer` sections and the routes' `cors`, compiled. The built-in issuer is one more
/// issuer profile: its tokens go through the same verifier as any other's.
extension SnapshotBuilder {
    static func storeSettings(_ config: GatewayConfig) -> StoreSettings? {
        config.store.map { StoreSettings(path: $0.path.resolved, pollInterval: $0.pollInterval, pruneInterval: $0.pruneInterval) }
    }

    /// The issuer's verification profile, and everything else it needs once its profile index is known.
    struct IssuerParts {
        var profile: IssuerProfile
        var key: SigningKey
        var jwks: [UInt8]
    }

    /// A problem found while compiling the issuer section.
    struct IssuerProblem: Error {
        var problem: ConfigProblem
        init(_ path: String, _ message: String) { problem = ConfigProblem(path: path, message: message) }
    }

    static func issuerParts(_ ic: IssuerSectionConfig, environment: (String) -> String?) -> Result<IssuerParts, IssuerProblem> {
        let key: SigningKey
        switch loadSigningKey(ic.key, environment: environment) {
        case .success(let k): key = k
        case .failure(let p): return .failure(p)
        }
        let verification: VerificationKey
        var jwks: [UInt8]
        do throws(KeyError) {
            verification = try key.publicKey()
            jwks = try key.publicJWKSDocument()
        } catch {
            return .failure(IssuerProblem(ic.key.jsonPath, error.message))
        }
        jwks.append(0x0A)
        let roles = JWT.ClaimPath(segments: [ic.rolesClaim])
        let profile = IssuerProfile(
            name: ic.name, issuer: ic.iss, audiences: ic.audiences, keys: [verification], leeway: 5, requireExp: true,
            maxAge: nil, requiredTyp: nil, rolesClaim: roles, scopesClaim: JWT.ClaimPath(segments: ["scope"]),
            identityHeaders: [
                (header: "X-Auth-Subject", claim: JWT.ClaimPath(segments: ["sub"])),
                (header: "X-Auth-Roles", claim: roles),
                (header: "X-Auth-Issuer", claim: JWT.ClaimPath(segments: ["iss"])),
            ])
        return .success(IssuerParts(profile: profile, key: key, jwks: jwks))
    }

    static func issuerRuntime(
        _ ic: IssuerSectionConfig, parts: IssuerParts, profileIndex: Int, store: StoreSettings,
        limiterIDs: (loginIP: Int, loginUser: Int, register: Int), cpus: Int
    ) -> Result<IssuerRuntime, IssuerProblem> {
        let limits = (ic.loginLimitPerIP, ic.loginLimitPerUsername, ic.registerLimit)
        guard let perIP = rateSpec(limits.0), let perUsername = rateSpec(limits.1), let register = rateSpec(limits.2) else {
            return .failure(IssuerProblem(ic.jsonPath, "a login or register limit is not a usable rate"))
        }
        let settings = IssuerSettings(
            name: ic.name, iss: ic.iss, audiences: ic.audiences, accessTTL: ic.accessTTL.components.seconds,
            refreshTTL: ic.refreshTTL.components.seconds, signingKey: parts.key, rolesClaim: ic.rolesClaim,
            includeIssuedAt: ic.claims.includeIssuedAt, includeNotBefore: ic.claims.includeNotBefore,
            includeRoles: ic.claims.includeRoles, registerEnabled: ic.register.enabled, registerRoles: ic.register.roles,
            scrypt: ScryptParameters(logN: ic.passwordHash.ln, r: ic.passwordHash.r, p: ic.passwordHash.p),
            databasePath: store.path,
            // One hashing thread per core: a password hash is pure CPU (and 32 MiB at the default cost).
            threads: max(1, min(cpus, 8)), maxQueued: 64)
        var endpoints: [(path: [UInt8], endpoint: LocalEndpoint)] = [
            (Array(ic.endpoints.login.utf8), .login), (Array(ic.endpoints.refresh.utf8), .refresh),
            (Array(ic.endpoints.logout.utf8), .logout), (Array(ic.endpoints.jwks.utf8), .jwks),
        ]
        if ic.register.enabled { endpoints.append((Array(ic.endpoints.register.utf8), .register)) }
        return .success(IssuerRuntime(
            settings: settings, endpoints: endpoints, profileIndex: profileIndex, loginPerIP: perIP,
            loginPerUsername: perUsername, registerPerIP: register, cors: ic.cors.map { corsPolicy($0) }, jwksDocument: parts.jwks,
            limiterIDs: limiterIDs))
    }

    static func corsPolicy(_ c: CORSConfig) -> CORSPolicy {
        CORSPolicy(
            anyOrigin: c.allowsAnyOrigin, origins: c.allowsAnyOrigin ? [] : c.origins, methods: c.methods, headers: c.headers,
            exposeHeaders: c.exposeHeaders, credentials: c.credentials, maxAgeSeconds: Int(c.maxAge.components.seconds))
    }

    private static func loadSigningKey(_ k: IssuerKeyConfig, environment: (String) -> String?) -> Result<SigningKey, IssuerProblem> {
        switch k.material {
        case .secretEnv(let env):
            let path = k.jsonPath + ".secret_env"
            guard let value = environment(env), !value.isEmpty else {
                return .failure(IssuerProblem(path, "environment variable \(env) is not set"))
            }
            do throws(KeyError) {
                return .success(try KeyLoader.hmacSigningKey(Array(value.utf8), algorithm: algorithm(k.algorithm), kid: k.kid))
            } catch {
                return .failure(IssuerProblem(path, "\(env): \(error.message)"))
            }
        case .privateKey(let file):
            let path = k.jsonPath + ".private_key"
            guard let pem = readFile(file.resolved) else {
                return .failure(IssuerProblem(path, "cannot read \(file.original)"))
            }
            do throws(KeyError) {
                return .success(try KeyLoader.privateKeyPEM(pem, algorithm: algorithm(k.algorithm), kid: k.kid))
            } catch {
                return .failure(IssuerProblem(path, "\(file.original): \(error.message)"))
            }
        }
    }
}
