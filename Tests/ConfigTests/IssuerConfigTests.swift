import Testing
@testable import Config

/// The built-in issuer section (`issuer`): defaults, a full example, and every problem with its path.
struct IssuerConfigTests {
    static let example = #"""
        {
          "listen": "127.0.0.1:8080",
          "upstreams": { "legacy": ["127.0.0.1:9000"] },
          "store": { "path": "gateway.db" },
          "issuer": {
            "name": "own",
            "iss": "https://gateway.demo",
            "audiences": ["legacy-api", "reports"],
            "access_ttl": "5m",
            "refresh_ttl": "30d",
            "key": { "kid": "gw-1", "alg": "ES256", "private_key": "keys/es256-private.pem" },
            "roles_claim": "groups",
            "claims": ["sub", "jti", "exp", "iat"],
            "endpoints": {
              "login": "/api/login", "refresh": "/api/refresh", "logout": "/api/logout",
              "register": "/api/signup", "jwks": "/api/jwks.json"
            },
            "register": { "enabled": true, "roles": ["reader", "app:viewer"] },
            "login_limit": { "per_ip": { "rate": "20/m", "burst": 30 }, "per_username": { "rate": "3/m", "burst": 3 } },
            "register_limit": { "rate": "2/h", "burst": 2 },
            "password_hash": { "ln": 16, "r": 8, "p": 2 },
            "cors": { "origins": ["https://app.example.com"], "credentials": true }
          },
          "routes": [
            { "prefix": "/api/", "upstream": "legacy", "auth": { "issuers": ["own"], "any": ["reader"] } }
          ]
        }
        """#

    @Test func defaults() throws {
        let issuer = try #require(try Fixtures.decode(Fixtures.builtIn()).get().issuer)
        #expect(issuer.name == "gateway")
        #expect(issuer.iss == "https://gateway.demo")
        #expect(issuer.audiences == [])
        #expect(issuer.accessTTL == .seconds(15 * 60))
        #expect(issuer.refreshTTL == .seconds(14 * 86_400))
        #expect(issuer.key.kid == nil)
        #expect(issuer.key.algorithm == .hs256)
        #expect(issuer.key.material == .secretEnv("GW_SECRET"))
        #expect(issuer.key.jsonPath == "issuer.key")
        #expect(issuer.rolesClaim == "roles")
        #expect(issuer.claims.includeRoles && issuer.claims.includeIssuedAt && issuer.claims.includeNotBefore)
        #expect(issuer.claims.jsonPath == "issuer.claims")
        #expect(issuer.endpoints.login == "/auth/login")
        #expect(issuer.endpoints.refresh == "/auth/refresh")
        #expect(issuer.endpoints.logout == "/auth/logout")
        #expect(issuer.endpoints.register == "/auth/register")
        #expect(issuer.endpoints.jwks == "/.well-known/jwks.json")
        #expect(issuer.endpoints.jsonPath == "issuer.endpoints")
        #expect(!issuer.register.enabled)
        #expect(issuer.register.roles == [])
        #expect(issuer.servedEndpoints.map(\.key) == ["login", "refresh", "logout", "jwks"])
        #expect(issuer.loginLimitPerIP.rate.text == "10/m")
        #expect(abs(issuer.loginLimitPerIP.rate.perSecond - 10.0 / 60) < 1e-12)
        #expect(issuer.loginLimitPerIP.burst == 10)
        #expect(issuer.loginLimitPerUsername.rate.text == "5/m")
        #expect(issuer.loginLimitPerUsername.burst == 5)
        #expect(issuer.registerLimit.rate.text == "5/h")
        #expect(abs(issuer.registerLimit.rate.perSecond - 5.0 / 3_600) < 1e-12)
        #expect(issuer.registerLimit.burst == 5)
        #expect(issuer.passwordHash.ln == 15 && issuer.passwordHash.r == 8 && issuer.passwordHash.p == 1)
        #expect(issuer.cors == nil)
        #expect(issuer.jsonPath == "issuer")
    }

    @Test func fullExample() throws {
        let config = try Fixtures.decode(Self.example).get()
        let issuer = try #require(config.issuer)
        #expect(config.store?.path.resolved == "/etc/gateway/gateway.db")
        #expect(issuer.name == "own")
        #expect(issuer.audiences == ["legacy-api", "reports"])
        #expect(issuer.accessTTL == .seconds(300))
        #expect(issuer.refreshTTL == .seconds(30 * 86_400))
        #expect(issuer.key.kid == "gw-1")
        #expect(issuer.key.algorithm == .es256)
        guard case .privateKey(let file) = issuer.key.material else {
            Issue.record("expected a private key, got \(issuer.key.material)")
            return
        }
        #expect(file.original == "keys/es256-private.pem")
        #expect(file.resolved == "/etc/gateway/keys/es256-private.pem")
        #expect(issuer.rolesClaim == "groups")
        #expect(!issuer.claims.includeRoles && issuer.claims.includeIssuedAt && !issuer.claims.includeNotBefore)
        #expect(issuer.servedEndpoints.map(\.path) == ["/api/login", "/api/refresh", "/api/logout", "/api/signup", "/api/jwks.json"])
        #expect(issuer.register.enabled)
        #expect(issuer.register.roles == ["reader", "app:viewer"])
        #expect(issuer.loginLimitPerIP.rate.text == "20/m" && issuer.loginLimitPerIP.burst == 30)
        #expect(issuer.loginLimitPerUsername.rate.text == "3/m" && issuer.loginLimitPerUsername.burst == 3)
        #expect(issuer.registerLimit.rate.text == "2/h" && issuer.registerLimit.burst == 2)
        #expect(issuer.passwordHash.ln == 16 && issuer.passwordHash.r == 8 && issuer.passwordHash.p == 2)
        let cors = try #require(issuer.cors)
        #expect(cors.origins == ["https://app.example.com"])
        #expect(cors.methods == ["POST", "GET"])
        #expect(cors.credentials)
        #expect(cors.jsonPath == "issuer.cors")
        // Decoding is deterministic: the same text gives an equal value.
        #expect(try Fixtures.decode(Self.example).get() == config)
    }

    @Test func claimsMayLeaveOutTheOptionalOnes() throws {
        let issuer = try #require(try Fixtures.decode(Fixtures.builtIn(#""claims": ["exp", "jti", "sub", "nbf"]"#)).get().issuer)
        #expect(!issuer.claims.includeRoles)
        #expect(!issuer.claims.includeIssuedAt)
        #expect(issuer.claims.includeNotBefore)
    }

    @Test func loginLimitsMayBeGivenOneAtATime() throws {
        let json = Fixtures.builtIn(#""login_limit": { "per_username": { "rate": "1/m" } }"#)
        let issuer = try #require(try Fixtures.decode(json).get().issuer)
        #expect(issuer.loginLimitPerIP.rate.text == "10/m" && issuer.loginLimitPerIP.burst == 10)
        #expect(issuer.loginLimitPerUsername.rate.text == "1/m" && issuer.loginLimitPerUsername.burst == 1)
    }

    @Test(arguments: JWSAlgorithm.allCases)
    func keyKindFollowsTheAlgorithm(algorithm: JWSAlgorithm) throws {
        let key =
            algorithm.isHMAC
            ? #"{ "alg": "\#(algorithm.rawValue)", "secret_env": "K" }"#
            : #"{ "alg": "\#(algorithm.rawValue)", "private_key": "/k.pem" }"#
        let issuer = try #require(try Fixtures.decode(Fixtures.bareIssuer(#""iss": "https://g", "key": \#(key)"#)).get().issuer)
        #expect(issuer.key.algorithm == algorithm)
        #expect(issuer.key.material == (algorithm.isHMAC ? .secretEnv("K") : .privateKey(ConfigFilePath(original: "/k.pem", resolved: "/k.pem"))))
    }

    /// Members added to a valid built-in issuer (HS256 key from GW_SECRET).
    @Test(arguments: [
        (
            #""nme": "x""#,
            [#"issuer.nme: unknown key; did you mean "name"? (known: name, iss, audiences, access_ttl, refresh_ttl, key, roles_claim, claims, endpoints, register, login_limit, register_limit, password_hash, cors)"#]
        ),
        (#""name": "my issuer""#, [#"issuer.name: names use only letters, digits, "_", "-" and ".""#]),
        (#""name": """#, [#"issuer.name: names use only letters, digits, "_", "-" and ".""#]),
        (#""audiences": ["a", ""]"#, [#"issuer.audiences[1]: must not be empty"#]),
        (#""access_ttl": "30s""#, [#"issuer.access_ttl: must be between 1m and 1d, got 30s"#]),
        (#""access_ttl": "25h""#, [#"issuer.access_ttl: must be between 1m and 1d, got 1d1h"#]),
        (#""refresh_ttl": "30m""#, [#"issuer.refresh_ttl: must be between 1h and 365d, got 30m"#]),
        (#""refresh_ttl": "366d""#, [#"issuer.refresh_ttl: must be between 1h and 365d, got 366d"#]),
        (
            #""access_ttl": "3h", "refresh_ttl": "2h""#,
            [#"issuer.refresh_ttl: refresh_ttl (2h) must be longer than access_ttl (3h)"#]
        ),
        (
            #""access_ttl": "1d", "refresh_ttl": "24h""#,
            [#"issuer.refresh_ttl: refresh_ttl (1d) must be longer than access_ttl (1d)"#]
        ),
        (#""roles_claim": """#, [#"issuer.roles_claim: must be a single claim name without dots, such as "roles""#]),
        (#""roles_claim": "realm.roles""#, [#"issuer.roles_claim: must be a single claim name without dots, such as "roles""#]),
        (
            #""roles_claim": "sub""#,
            [#"issuer.roles_claim: "sub" is a claim the issuer sets itself; choose another name, such as "roles""#]
        ),
        (#""claims": ["sub", "jti"]"#, [#"issuer.claims: must include exp: every token must expire"#]),
        (#""claims": ["sub", "exp"]"#, [#"issuer.claims: must include jti: logout revokes a token by its jti"#]),
        (
            #""claims": ["roles"]"#,
            [
                #"issuer.claims: must include sub: routes, identity headers and revocations identify the user by sub"#,
                #"issuer.claims: must include jti: logout revokes a token by its jti"#,
                #"issuer.claims: must include exp: every token must expire"#,
            ]
        ),
        (
            #""claims": ["sub", "jti", "exp", "ext"]"#,
            [#"issuer.claims[3]: unknown claim "ext"; did you mean "exp"? (known: sub, roles, jti, iat, exp, nbf)"#]
        ),
        (#""claims": ["sub", "jti", "exp", "sub"]"#, [#"issuer.claims[3]: sub is listed twice"#]),
        (
            #""claims": ["sub", "jti", "exp", 1]"#,
            [#"issuer.claims[3]: expected a claim name (sub, roles, jti, iat, exp, nbf), got a number (1)"#]
        ),
        (#""claims": "all""#, [#"issuer.claims: expected a list, got a string ("all")"#]),
        (#""endpoints": { "login": "auth/login" }"#, [#"issuer.endpoints.login: must start with "/""#]),
        (
            #""endpoints": { "login": "/auth/login?x=1" }"#,
            [##"issuer.endpoints.login: contains a character that must be percent-encoded or is not allowed in a path ("?" and "#" start a query or fragment)"##]
        ),
        (#""endpoints": { "refresh": "/auth//refresh" }"#, [#"issuer.endpoints.refresh: must not contain "//""#]),
        (#""endpoints": { "logout": "/auth/../logout" }"#, [#"issuer.endpoints.logout: must not contain "." or ".." segments"#]),
        (#""endpoints": { "jwks": "/keys/%6Awks" }"#, [#"issuer.endpoints.jwks: must not contain percent-encodings"#]),
        (#""endpoints": { "register": 1 }"#, [#"issuer.endpoints.register: expected a string, got a number (1)"#]),
        (
            #""endpoints": { "jwks": "/auth/login" }"#,
            [#"issuer.endpoints.jwks: /auth/login is also the login endpoint; each endpoint needs its own path"#]
        ),
        (
            #""endpoints": { "login": "/auth/refresh" }"#,
            [#"issuer.endpoints.login: /auth/refresh is also the refresh endpoint; each endpoint needs its own path"#]
        ),
        (
            #""endpoints": { "login": "/x", "logout": "/x" }"#,
            [#"issuer.endpoints.logout: /x is also the login endpoint; each endpoint needs its own path"#]
        ),
        (
            #""endpoints": { "token": "/x" }"#,
            [#"issuer.endpoints.token: unknown key (known: login, refresh, logout, register, jwks)"#]
        ),
        (#""register": { "enabled": "yes" }"#, [#"issuer.register.enabled: expected true or false, got a string ("yes")"#]),
        (
            #""register": { "roles": ["a,b"] }"#,
            [#"issuer.register.roles[0]: "a,b" is not a role name (letters, digits, "_", "-", "." and ":")"#]
        ),
        (
            #""register": { "roles": ["ok", ""] }"#,
            [#"issuer.register.roles[1]: "" is not a role name (letters, digits, "_", "-", "." and ":")"#]
        ),
        (#""register": { "roles": ["r", "r"] }"#, [#"issuer.register.roles[1]: r is listed twice"#]),
        (
            #""register": { "enable": true }"#,
            [#"issuer.register.enable: unknown key; did you mean "enabled"? (known: enabled, roles)"#]
        ),
        (
            #""login_limit": { "per_ip": { "rate": "fast" } }"#,
            [#"issuer.login_limit.per_ip.rate: invalid rate "fast" (use a positive whole count per s, m, min, h or d, e.g. "100/s")"#]
        ),
        (
            #""login_limit": { "per_usernme": { "rate": "1/s" } }"#,
            [#"issuer.login_limit.per_usernme: unknown key; did you mean "per_username"? (known: per_ip, per_username)"#]
        ),
        (#""register_limit": { "burst": 5 }"#, [#"issuer.register_limit.rate: missing required key"#]),
        (#""password_hash": { "ln": 13 }"#, [#"issuer.password_hash.ln: must be between 14 and 20, got 13"#]),
        (#""password_hash": { "ln": 21 }"#, [#"issuer.password_hash.ln: must be between 14 and 20, got 21"#]),
        (#""password_hash": { "r": 0 }"#, [#"issuer.password_hash.r: must be between 1 and 32, got 0"#]),
        (#""password_hash": { "r": 33 }"#, [#"issuer.password_hash.r: must be between 1 and 32, got 33"#]),
        (#""password_hash": { "p": 0 }"#, [#"issuer.password_hash.p: must be between 1 and 16, got 0"#]),
        (#""password_hash": { "p": 17 }"#, [#"issuer.password_hash.p: must be between 1 and 16, got 17"#]),
        (
            #""password_hash": { "ln": 20, "r": 16 }"#,
            [#"issuer.password_hash: ln 20 with r 16 needs 2GiB per hash (128·r·2^ln bytes); at most 1GiB is possible"#]
        ),
        (
            #""cors": { "origins": ["*"], "credentials": true }"#,
            [#"issuer.cors.credentials: cannot be true with origins ["*"]: credentials need a list of exact origins"#]
        ),
        (#""cors": { "origins": [] }"#, [#"issuer.cors.origins: at least one origin is required (use ["*"] to allow any)"#]),
    ])
    func problems(members: String, expected: [String]) {
        let problems = Fixtures.problems(Fixtures.builtIn(members)).map(\.description)
        #expect(problems == expected, "\(members)")
    }

    /// The whole issuer object's members, for required keys and the signing key.
    @Test(arguments: [
        (#""key": { "alg": "HS256", "secret_env": "K" }"#, [#"issuer.iss: missing required key"#]),
        (#""iss": "", "key": { "alg": "HS256", "secret_env": "K" }"#, [#"issuer.iss: must not be empty"#]),
        (#""iss": "https://g""#, [#"issuer.key: missing required key"#]),
        (#""iss": "https://g", "key": { "alg": "HS256" }"#, [#"issuer.key: exactly one of private_key or secret_env is required"#]),
        (
            #""iss": "https://g", "key": { "alg": "HS256", "secret_env": "K", "private_key": "k.pem" }"#,
            [#"issuer.key: exactly one of private_key or secret_env is allowed, found both"#]
        ),
        (
            #""iss": "https://g", "key": { "alg": "ES256", "secret_env": "K" }"#,
            [#"issuer.key.alg: ES256 needs private_key; secret_env holds an HMAC secret (HS256, HS384, HS512)"#]
        ),
        (
            #""iss": "https://g", "key": { "alg": "HS512", "private_key": "k.pem" }"#,
            [#"issuer.key.alg: HS512 needs secret_env; private_key holds an asymmetric key (RS*, PS*, ES*, EdDSA)"#]
        ),
        (
            #""iss": "https://g", "key": { "alg": "HS256", "secret_env": "MY-SECRET" }"#,
            [#"issuer.key.secret_env: "MY-SECRET" is not an environment variable name (secrets are referenced by name, never inline)"#]
        ),
        (#""iss": "https://g", "key": { "secret_env": "K" }"#, [#"issuer.key.alg: missing required key"#]),
        (
            #""iss": "https://g", "key": { "alg": "none", "secret_env": "K" }"#,
            [#"issuer.key.alg: "none" is never accepted: tokens must be signed"#]
        ),
        (#""iss": "https://g", "key": { "kid": "", "alg": "HS256", "secret_env": "K" }"#, [#"issuer.key.kid: must not be empty"#]),
        (#""iss": "https://g", "key": { "alg": "ES256", "private_key": "" }"#, [#"issuer.key.private_key: file path must not be empty"#]),
        (
            #""iss": "https://g", "key": { "alg": "RS256", "private_key": "k.pem", "public_key": "k.pub" }"#,
            [#"issuer.key.public_key: unknown key (known: kid, alg, private_key, secret_env)"#]
        ),
    ])
    func keyProblems(members: String, expected: [String]) {
        let problems = Fixtures.problems(Fixtures.bareIssuer(members)).map(\.description)
        #expect(problems == expected, "\(members)")
    }
}
