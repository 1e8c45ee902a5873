import JWT
import KeyFetch
import Testing

@Suite struct DiscoveryTests {
    static let wellKnown = "/.well-known/openid-configuration"

    @Test func keysAreFoundThroughTheDiscoveryDocument() throws {
        let key = try FetchFixture.key("k1")
        let idp = try RemoteIssuer(settings: FetchFixture.settings(), discovery: true) { server in
            server.json(Self.wellKnown, Array(#"{"issuer":"\#(server.base)","jwks_uri":"\#(server.base)/keys/v1"}"#.utf8))
            server.json("/keys/v1", try FetchFixture.jwks([key]))
        }
        defer { idp.stop() }
        #expect(FetchFixture.eventually { idp.events.count("keys_refreshed") == 1 })
        #expect(idp.events.last("keys_refreshed")?["uri"] == idp.server.base + "/keys/v1")
        #expect(throws: Never.self) { try idp.verify(FetchFixture.token(key, issuer: idp.issuer)).get() }
    }

    static let badDocuments: [(String, String)] = [
        ("another issuer", #"{"issuer":"http://127.0.0.1:1","jwks_uri":"{{BASE}}/keys/v1"}"#),
        ("no jwks_uri", #"{"issuer":"{{BASE}}"}"#),
        ("plain http elsewhere", #"{"issuer":"{{BASE}}","jwks_uri":"http://keys.example.com/jwks"}"#),
        ("not a URL", #"{"issuer":"{{BASE}}","jwks_uri":"file:///etc/passwd"}"#),
        ("header injection", #"{"issuer":"{{BASE}}","jwks_uri":"{{BASE}}/keys\r\nX-Evil: 1"}"#),
        ("not JSON", "issuer=me"),
    ]

    @Test(arguments: badDocuments)
    func aBadDiscoveryDocumentIsRefused(_ name: String, _ document: String) throws {
        let key = try FetchFixture.key("k1")
        let idp = try RemoteIssuer(settings: FetchFixture.settings(), discovery: true) { server in
            server.json(Self.wellKnown, Array(document.replacingBase(with: server.base).utf8))
            server.json("/keys/v1", try FetchFixture.jwks([key]))
        }
        defer { idp.stop() }
        #expect(FetchFixture.eventually { idp.events.count("keys_refresh_failed") == 1 }, "\(name)")
        #expect(idp.server.count("/keys/v1") == 0)
        #expect(idp.verify(try FetchFixture.token(key, issuer: idp.issuer)).failure == .keysUnavailable)
    }
}

extension String {
    func replacingBase(with base: String) -> String {
        split(separator: "{{BASE}}", omittingEmptySubsequences: false).joined(separator: base)
    }
}
