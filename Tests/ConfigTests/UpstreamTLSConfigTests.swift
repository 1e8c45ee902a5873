import Testing
@testable import Config

/// https upstream targets and `upstreams.<name>.tls`.
struct UpstreamTLSConfigTests {
    @Test func httpsTargetsWithGivenTLS() throws {
        let config = try Fixtures.decode(Fixtures.operations).get()
        let api = try #require(config.upstreams.first { $0.name == "secure-api" })
        #expect(api.targets.map(\.text) == ["https://10.0.0.5:8443", "https://10.0.0.6:8443"])
        #expect(api.targets.map(\.host) == ["10.0.0.5", "10.0.0.6"])
        #expect(api.targets.map(\.port) == [8443, 8443])
        #expect(api.targets.map(\.tls) == [true, true])
        let tls = try #require(api.tls)
        #expect(tls.ca?.resolved == "/etc/gateway/certs/internal-ca.pem")
        #expect(tls.serverName == "api.internal")
        #expect(tls.verify)
        #expect(tls.jsonPath == "upstreams.secure-api.tls")
        let legacy = try #require(config.upstreams.first { $0.name == "legacy" })
        #expect(legacy.tls == nil)
        #expect(!legacy.targets[0].tls)
    }

    @Test(arguments: [
        (#"["https://10.0.0.5:8443"]"#, "upstreams.api.tls"),
        (#"{ "targets": "https://[::1]:8443" }"#, "upstreams.api.tls"),
        (#"{ "targets": ["127.0.0.1:9000", "https://127.0.0.1:9443"] }"#, "upstreams.api.tls"),
    ])
    func httpsTargetsGetDefaultTLS(upstream: String, path: String) throws {
        let api = try #require(try Fixtures.decode(Fixtures.upstream(upstream)).get().upstreams.first)
        #expect(api.tls == UpstreamTLSConfig(jsonPath: path))
        #expect(api.tls?.ca == nil && api.tls?.serverName == nil && api.tls?.verify == true)
    }

    @Test(arguments: [
        ("127.0.0.1:9000", false, "127.0.0.1", 9000), ("http://127.0.0.1:9000", false, "127.0.0.1", 9000),
        ("https://127.0.0.1:9443", true, "127.0.0.1", 9443), ("https://[::1]:443", true, "::1", 443),
        ("https://localhost:8443", true, "localhost", 8443),
    ])
    func targetSchemes(text: String, tls: Bool, host: String, port: Int) throws {
        let api = try #require(try Fixtures.decode(Fixtures.upstream(#"["\#(text)"]"#)).get().upstreams.first)
        let target = try #require(api.targets.first)
        #expect(target.tls == tls)
        #expect(target.host == host)
        #expect(Int(target.port) == port)
        #expect(target.text == text)
        #expect((api.tls != nil) == tls)
    }

    @Test func verifyFalseIsAllowed() throws {
        let json = Fixtures.upstream(#"{ "targets": ["https://10.0.0.5:8443"], "tls": { "verify": false, "server_name": "api" } }"#)
        let tls = try #require(try Fixtures.decode(json).get().upstreams.first?.tls)
        #expect(!tls.verify)
        #expect(tls.serverName == "api")
    }

    /// Values of upstream "api".
    @Test(arguments: [
        (
            #"{ "targets": ["127.0.0.1:9000"], "tls": {} }"#,
            [#"upstreams.api.tls: no target uses https; write targets as "https://host:port" to connect to them with TLS"#]
        ),
        (
            #"{ "targets": ["http://127.0.0.1:9000"], "tls": { "verify": true } }"#,
            [#"upstreams.api.tls: no target uses https; write targets as "https://host:port" to connect to them with TLS"#]
        ),
        (#"["ftp://127.0.0.1:21"]"#, [#"upstreams.api[0]: invalid address "ftp://127.0.0.1:21": the scheme must be http:// or https://, got "ftp://""#]),
        (#"["HTTPS://127.0.0.1:1"]"#, [#"upstreams.api[0]: invalid address "HTTPS://127.0.0.1:1": the scheme must be http:// or https://, got "HTTPS://""#]),
        (#"["https://127.0.0.1:8443/api"]"#, [#"upstreams.api[0]: invalid address "https://127.0.0.1:8443/api": a target is [http:// or https://]host:port, without user, path or query"#]),
        (#"["https://u@127.0.0.1:8443"]"#, [#"upstreams.api[0]: invalid address "https://u@127.0.0.1:8443": a target is [http:// or https://]host:port, without user, path or query"#]),
        (#"["https://127.0.0.1"]"#, [#"upstreams.api[0]: invalid address "https://127.0.0.1": expected host:port"#]),
        (#"["https://api.internal:443"]"#, [#"upstreams.api[0]: invalid address "https://api.internal:443": host must be an IP address or "localhost", got "api.internal""#]),
        (#"["https://127.0.0.1:0"]"#, [#"upstreams.api[0]: invalid address "https://127.0.0.1:0": port must be a number from 1 to 65535"#]),
        (#"["https://127.0.0.1:1", "https://127.0.0.1:1"]"#, [#"upstreams.api[1]: https://127.0.0.1:1 is listed twice"#]),
        (#"["127.0.0.1:1", "https://127.0.0.1:1"]"#, [#"upstreams.api[1]: https://127.0.0.1:1 is the same target as 127.0.0.1:1"#]),
        (
            #"{ "targets": ["http://127.0.0.1:1", "127.0.0.1:1"] }"#,
            [#"upstreams.api.targets[1]: 127.0.0.1:1 is the same target as http://127.0.0.1:1"#]
        ),
        (
            #"{ "targets": ["https://127.0.0.1:1"], "tls": { "server_name": "API.internal" } }"#,
            [#"upstreams.api.tls.server_name: "API.internal" is not a host name such as "api.internal" (lowercase, no port) or an IP address"#]
        ),
        (
            #"{ "targets": ["https://127.0.0.1:1"], "tls": { "server_name": "api.internal:443" } }"#,
            [#"upstreams.api.tls.server_name: "api.internal:443" is not a host name such as "api.internal" (lowercase, no port) or an IP address"#]
        ),
        (
            #"{ "targets": ["https://127.0.0.1:1"], "tls": { "server_name": "" } }"#,
            [#"upstreams.api.tls.server_name: "" is not a host name such as "api.internal" (lowercase, no port) or an IP address"#]
        ),
        (
            #"{ "targets": ["https://127.0.0.1:1"], "tls": { "verify": false, "ca": "ca.pem" } }"#,
            [#"upstreams.api.tls.ca: not used when verify is false"#]
        ),
        (
            #"{ "targets": ["https://127.0.0.1:1"], "tls": { "ca": "" } }"#,
            [#"upstreams.api.tls.ca: file path must not be empty"#]
        ),
        (
            #"{ "targets": ["https://127.0.0.1:1"], "tls": { "verify": "no" } }"#,
            [#"upstreams.api.tls.verify: expected true or false, got a string ("no")"#]
        ),
        (
            #"{ "targets": ["https://127.0.0.1:1"], "tls": { "sni": "a" } }"#,
            [#"upstreams.api.tls.sni: unknown key (known: ca, server_name, verify)"#]
        ),
        (
            #"{ "targets": ["https://127.0.0.1:1"], "tls": true }"#,
            [#"upstreams.api.tls: expected an object, got a boolean (true)"#]
        ),
    ])
    func problems(upstream: String, expected: [String]) {
        #expect(Fixtures.problems(Fixtures.upstream(upstream)).map(\.description) == expected, "\(upstream)")
    }

    @Test(arguments: ["api.internal", "10.0.0.5", "::1", "a-b.c"])
    func validServerNames(name: String) throws {
        let json = Fixtures.upstream(#"{ "targets": ["https://127.0.0.1:1"], "tls": { "server_name": "\#(name)" } }"#)
        #expect(try Fixtures.decode(json).get().upstreams.first?.tls?.serverName == name)
    }
}
