import Testing
@testable import Config

/// Remote issuer keys: `jwks_uri` keys, OIDC discovery and the `jwks` refresh settings.
struct RemoteKeysConfigTests {
    @Test func jwksURIAndDiscovery() throws {
        let config = try Fixtures.decode(Fixtures.operations).get()
        let idp = try #require(config.issuers.first { $0.name == "idp" })
        #expect(
            idp.keys.map(\.material) == [
                .jwksURI(
                    url: "https://idp.example.com/realms/x/protocol/openid-connect/certs", algorithms: [.rs256],
                    ca: ConfigFilePath(original: "certs/idp-ca.pem", resolved: "/etc/gateway/certs/idp-ca.pem"))
            ])
        #expect(!idp.discovery)
        #expect(idp.discoveryURL == nil)
        #expect(idp.usesRemoteKeys)
        #expect(idp.jwks.refresh == .seconds(1_800))
        #expect(idp.jwks.minRefresh == .seconds(300))
        #expect(idp.jwks.maxRefresh == .seconds(12 * 3_600))
        #expect(idp.jwks.cooldown == .seconds(10))
        #expect(idp.jwks.maxStale == .seconds(2 * 86_400))
        #expect(idp.jwks.timeout == .seconds(2))
        #expect(idp.jwks.jsonPath == "issuers.idp.jwks")

        let oidc = try #require(config.issuers.first { $0.name == "oidc" })
        #expect(oidc.discovery)
        #expect(oidc.keys.isEmpty)
        #expect(oidc.usesRemoteKeys)
        #expect(oidc.discoveryURL == "https://login.example.org/.well-known/openid-configuration")
        #expect(oidc.jwks == RemoteKeysConfig(jsonPath: "issuers.oidc.jwks"))
    }

    @Test func jwksDefaults() {
        let jwks = RemoteKeysConfig(jsonPath: "x")
        #expect(jwks.refresh == .seconds(3_600))
        #expect(jwks.minRefresh == .seconds(60))
        #expect(jwks.maxRefresh == .seconds(86_400))
        #expect(jwks.cooldown == .seconds(30))
        #expect(jwks.maxStale == .seconds(86_400))
        #expect(jwks.timeout == .seconds(5))
    }

    @Test(arguments: [
        ("https://idp.example.com/realms/x", "https://idp.example.com/realms/x/.well-known/openid-configuration"),
        ("https://idp.example.com/", "https://idp.example.com/.well-known/openid-configuration"),
        ("http://127.0.0.1:8081", "http://127.0.0.1:8081/.well-known/openid-configuration"),
    ])
    func discoveryURLs(iss: String, expected: String) throws {
        let json = Fixtures.issuer(#"{ "iss": "\#(iss)", "discovery": true }"#)
        #expect(try Fixtures.decode(json).get().issuers.first?.discoveryURL == expected)
    }

    @Test func staticKeysAreNotRemote() throws {
        let config = try Fixtures.decode(Fixtures.full).get()
        #expect(config.issuers.map(\.usesRemoteKeys) == [false, false])
        #expect(config.issuers.map(\.discovery) == [false, false])
    }

    @Test(arguments: [
        "https://idp.example.com/certs", "https://idp.example.com:8443/realms/x/certs?format=jwks", "http://127.0.0.1:8081/jwks",
        "http://[::1]:8081/jwks", "http://localhost/jwks", "https://10.0.0.5/jwks", "https://[2001:db8::1]/jwks",
    ])
    func acceptedJWKSURIs(url: String) throws {
        let json = Fixtures.keys(#"{ "jwks_uri": "\#(url)" }"#)
        #expect(try Fixtures.decode(json).get().issuers.first?.keys.first?.material == .jwksURI(url: url, algorithms: [], ca: nil))
    }

    /// Keys of issuer "main".
    @Test(arguments: [
        (
            #"{ "jwks_uri": "http://idp.example.com/certs" }"#,
            [#"issuers.main.keys[0].jwks_uri: "http://idp.example.com/certs" must use https (plain http is allowed only for 127.0.0.1, [::1] and localhost)"#]
        ),
        (
            #"{ "jwks_uri": "http://10.0.0.1/certs" }"#,
            [#"issuers.main.keys[0].jwks_uri: "http://10.0.0.1/certs" must use https (plain http is allowed only for 127.0.0.1, [::1] and localhost)"#]
        ),
        (#"{ "jwks_uri": "idp.example.com/certs" }"#, [#"issuers.main.keys[0].jwks_uri: "idp.example.com/certs" is not a URL (expected https://host/path)"#]),
        (#"{ "jwks_uri": "ftp://idp/certs" }"#, [#"issuers.main.keys[0].jwks_uri: "ftp://idp/certs": the scheme must be https"#]),
        (#"{ "jwks_uri": "https://idp/a b" }"#, [#"issuers.main.keys[0].jwks_uri: "https://idp/a b" must not contain spaces, control or non-ASCII characters"#]),
        (#"{ "jwks_uri": "https://u:p@idp/certs" }"#, [#"issuers.main.keys[0].jwks_uri: "https://u:p@idp/certs" must not contain user info"#]),
        (#"{ "jwks_uri": "https://idp/certs#x" }"#, [#"issuers.main.keys[0].jwks_uri: "https://idp/certs#x" must not have a fragment"#]),
        (#"{ "jwks_uri": "https:///certs" }"#, [#"issuers.main.keys[0].jwks_uri: "https:///certs" has an invalid host or port"#]),
        (#"{ "jwks_uri": "https://idp:0/certs" }"#, [#"issuers.main.keys[0].jwks_uri: "https://idp:0/certs" has an invalid host or port"#]),
        (#"{ "jwks_uri": "https://idp_x/certs" }"#, [#"issuers.main.keys[0].jwks_uri: "https://idp_x/certs" has an invalid host or port"#]),
        (#"{ "jwks_uri": "https://[::1/certs" }"#, [#"issuers.main.keys[0].jwks_uri: "https://[::1/certs" has an invalid host or port"#]),
        (#"{ "jwks_uri": 7 }"#, [#"issuers.main.keys[0].jwks_uri: expected a string, got a number (7)"#]),
        (
            #"{ "jwks_uri": "https://idp/certs", "alg": "RS256", "kid": "a" }"#,
            [
                #"issuers.main.keys[0].alg: not used with jwks_uri; list allowed algorithms in algs"#,
                #"issuers.main.keys[0].kid: not used with jwks_uri; the JWKS names its keys"#,
            ]
        ),
        (#"{ "jwks_uri": "https://idp/certs", "algs": ["none"] }"#, [#"issuers.main.keys[0].algs[0]: "none" is never accepted: tokens must be signed"#]),
        (#"{ "jwks_uri": "https://idp/certs", "ca": "" }"#, [#"issuers.main.keys[0].ca: file path must not be empty"#]),
        (#"{ "jwks_file": "k.json", "ca": "ca.pem" }"#, [#"issuers.main.keys[0].ca: only allowed with jwks_uri"#]),
        (#"{ "alg": "RS256", "public_key": "k.pem", "ca": "ca.pem" }"#, [#"issuers.main.keys[0].ca: only allowed with jwks_uri"#]),
        (
            #"{ "jwks_uri": "https://idp/certs", "jwks_file": "k.json" }"#,
            [#"issuers.main.keys[0]: exactly one of secret_env, public_key, jwks_file or jwks_uri is allowed, found jwks_file and jwks_uri"#]
        ),
        (
            #"{ "jwks_uri": "https://idp/certs" }, { "alg": "HS256", "secret_env": "K" }"#,
            [#"issuers.main.keys[0]: an issuer with a jwks_uri key takes all its keys from it; put other keys in another issuer"#]
        ),
        (
            #"{ "jwks_uri": "https://idp/a" }, { "jwks_uri": "https://idp/b" }"#,
            [
                #"issuers.main.keys[0]: an issuer with a jwks_uri key takes all its keys from it; put other keys in another issuer"#,
                #"issuers.main.keys[1]: an issuer with a jwks_uri key takes all its keys from it; put other keys in another issuer"#,
            ]
        ),
    ])
    func keyProblems(keys: String, expected: [String]) {
        #expect(Fixtures.problems(Fixtures.keys(keys)).map(\.description) == expected, "\(keys)")
    }

    /// The object of issuer "main".
    @Test(arguments: [
        (
            #"{ "iss": "https://idp", "discovery": true, "keys": [ { "alg": "HS256", "secret_env": "K" } ] }"#,
            [#"issuers.main.discovery: discovery fetches the keys named by the issuer; remove keys or discovery"#]
        ),
        (
            #"{ "iss": "https://idp", "discovery": false }"#,
            [#"issuers.main.keys: missing required key; give keys, or "discovery": true to fetch them from the issuer"#]
        ),
        (#"{ "iss": "https://idp", "discovery": "yes" }"#, [
            #"issuers.main.discovery: expected true or false, got a string ("yes")"#,
            #"issuers.main.keys: missing required key; give keys, or "discovery": true to fetch them from the issuer"#,
        ]),
        (
            #"{ "iss": "idp.example.com", "discovery": true }"#,
            [#"issuers.main.iss: with discovery, "idp.example.com" is not a URL (expected https://host/path)"#]
        ),
        (
            #"{ "iss": "http://idp.example.com", "discovery": true }"#,
            [#"issuers.main.iss: with discovery, "http://idp.example.com" must use https (plain http is allowed only for 127.0.0.1, [::1] and localhost)"#]
        ),
        (
            #"{ "iss": "https://idp", "keys": [ { "alg": "HS256", "secret_env": "K" } ], "jwks": { "refresh": "1h" } }"#,
            [#"issuers.main.jwks: only used with a jwks_uri key or "discovery": true"#]
        ),
        (
            #"{ "iss": "https://idp", "keys": [ { "jwks_file": "k.json" } ], "jwks": {} }"#,
            [#"issuers.main.jwks: only used with a jwks_uri key or "discovery": true"#]
        ),
        (#"{ "iss": "https://idp", "discovery": true, "jwks": [] }"#, [#"issuers.main.jwks: expected an object, got a list"#]),
        (
            #"{ "iss": "https://idp", "discovery": true, "jwks": { "cooldwn": "1s" } }"#,
            [#"issuers.main.jwks.cooldwn: unknown key; did you mean "cooldown"? (known: refresh, min_refresh, max_refresh, cooldown, max_stale, timeout)"#]
        ),
    ])
    func issuerProblems(issuer: String, expected: [String]) {
        #expect(Fixtures.problems(Fixtures.issuer(issuer)).map(\.description) == expected, "\(issuer)")
    }

    /// Members of `issuers.main.jwks` for a discovery issuer.
    @Test(arguments: [
        (#""refresh": "0s""#, [#"issuers.main.jwks.refresh: must be between 1s and 7d, got 0s"#]),
        (#""refresh": "8d""#, [#"issuers.main.jwks.refresh: must be between 1s and 7d, got 8d"#]),
        (#""min_refresh": "2h""#, [#"issuers.main.jwks.min_refresh: min_refresh (2h) must not be longer than refresh (1h)"#]),
        (#""refresh": "30s""#, [#"issuers.main.jwks.refresh: min_refresh (1m) must not be longer than refresh (30s)"#]),
        (#""max_refresh": "30m""#, [#"issuers.main.jwks.max_refresh: refresh (1h) must not be longer than max_refresh (30m)"#]),
        (#""refresh": "2d""#, [#"issuers.main.jwks.refresh: refresh (2d) must not be longer than max_refresh (1d)"#]),
        (
            #""refresh": "10m", "min_refresh": "20m", "max_refresh": "5m""#,
            [
                #"issuers.main.jwks.min_refresh: min_refresh (20m) must not be longer than refresh (10m)"#,
                #"issuers.main.jwks.max_refresh: refresh (10m) must not be longer than max_refresh (5m)"#,
            ]
        ),
        (#""cooldown": "500ms""#, [#"issuers.main.jwks.cooldown: must be between 1s and 1h, got 500ms"#]),
        (#""cooldown": "2h""#, [#"issuers.main.jwks.cooldown: must be between 1s and 1h, got 2h"#]),
        (#""max_stale": "31d""#, [#"issuers.main.jwks.max_stale: must be between 0s and 30d, got 31d"#]),
        (#""timeout": "50ms""#, [#"issuers.main.jwks.timeout: must be between 100ms and 1m, got 50ms"#]),
        (#""timeout": "2m""#, [#"issuers.main.jwks.timeout: must be between 100ms and 1m, got 2m"#]),
        (#""timeout": 5"#, [#"issuers.main.jwks.timeout: expected a duration such as "30s" or "1h30m", got a number (5)"#]),
    ])
    func jwksProblems(members: String, expected: [String]) {
        let json = Fixtures.issuer(#"{ "iss": "https://idp.example.com", "discovery": true, "jwks": { \#(members) } }"#)
        #expect(Fixtures.problems(json).map(\.description) == expected, "\(members)")
    }

    @Test func boundsMayEqualRefresh() throws {
        let json = Fixtures.issuer(
            #"{ "iss": "https://idp.example.com", "discovery": true, "jwks": { "refresh": "5m", "min_refresh": "5m", "max_refresh": "5m", "max_stale": "0s" } }"#)
        let jwks = try #require(try Fixtures.decode(json).get().issuers.first?.jwks)
        #expect(jwks.refresh == .seconds(300) && jwks.minRefresh == .seconds(300) && jwks.maxRefresh == .seconds(300))
        #expect(jwks.maxStale == .zero)
    }
}
