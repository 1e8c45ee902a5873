import Testing
@testable import Config

/// Upstream target addresses, remote URLs and loopback detection.
struct NetworkSyntaxTests {
    @Test(arguments: [
        ("127.0.0.1:9000", "127.0.0.1", 9000, false), ("http://127.0.0.1:9000", "127.0.0.1", 9000, false),
        ("https://10.0.0.5:8443", "10.0.0.5", 8443, true), ("https://[2001:db8::1]:443", "2001:db8::1", 443, true),
        ("https://localhost:1", "localhost", 1, true),
    ])
    func validTargets(text: String, host: String, port: Int, tls: Bool) throws {
        let target = try TargetAddress.parse(text).get()
        #expect(target.host == host)
        #expect(Int(target.port) == port)
        #expect(target.tls == tls)
        #expect(target.text == text)
    }

    @Test(arguments: [
        "https://", "https://10.0.0.5", "https://10.0.0.5:443/", "https://10.0.0.5:443?x", "http:/10.0.0.5:80", "tls://10.0.0.5:443",
        "https://host.example:443", "https://[::1:443", "://10.0.0.5:443", "https://a@10.0.0.5:443", "https://10.0.0.5:443#f",
    ])
    func invalidTargets(text: String) {
        #expect(throws: HostPort.Problem.self) { try TargetAddress.parse(text).get() }
    }

    @Test(arguments: [
        ("https://idp.example.com/certs", true), ("https://IDP.example.com/certs", true), ("https://idp.example.com", true),
        ("http://127.0.0.1:8081/jwks", true), ("http://localhost:8081/jwks", true), ("http://[::1]/jwks", true),
        ("http://127.0.0.2/jwks", false), ("http://localhost.example.com/jwks", false), ("http://[::2]/jwks", false),
        ("https://idp.example.com:65536/", false), ("https://idp.example.com:/", false), ("https://-idp.example.com/", false),
        ("HTTPS://idp.example.com/", false), ("https://idp.example.com/ä", false), ("https://idp.example.com/\u{7F}", false),
        ("", false),
    ])
    func remoteURLs(text: String, accepted: Bool) {
        #expect((RemoteURL.check(text) == nil) == accepted, "\(text): \(RemoteURL.check(text) ?? "accepted")")
    }

    @Test(arguments: [
        ("127.0.0.1:1", true), ("127.255.255.254:1", true), ("localhost:1", true), ("[::1]:1", true),
        ("[::ffff:127.0.0.1]:1", true), ("0.0.0.0:1", false), ("[::]:1", false), ("10.0.0.1:1", false), ("[::2]:1", false),
        ("128.0.0.1:1", false), ("[::ffff:10.0.0.1]:1", false),
    ])
    func loopback(text: String, expected: Bool) throws {
        #expect(try HostPort.parse(text).get().isLoopback == expected)
    }
}
