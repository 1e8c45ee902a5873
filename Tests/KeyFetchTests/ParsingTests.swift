import JWT
import Testing

@testable import KeyFetch

@Suite struct ParsingTests {
    static let urls: [(String, String?)] = [
        ("https://idp.example.com/realms/x/certs", "https://idp.example.com/realms/x/certs"),
        ("http://127.0.0.1:8080/jwks?v=2", "http://127.0.0.1:8080/jwks?v=2"),
        ("https://IDP.Example.com:443", "https://idp.example.com/"),
        ("http://[::1]:9000/k", "http://[::1]:9000/k"),
        ("https://idp.example.com?x=1", "https://idp.example.com/?x=1"),
        ("ftp://idp.example.com/", nil),
        ("https://user@idp.example.com/", nil),
        ("https://idp.example.com/a b", nil),
        ("https://idp.example.com/a#frag", nil),
        ("https://idp.example.com:0/", nil),
        ("https://idp.example.com:70000/", nil),
        ("https:///path", nil),
        ("https://[::1/", nil),
        ("https://idp.example.com/\u{7F}", nil),
    ]

    @Test(arguments: urls)
    func urlsParseStrictly(_ text: String, _ expected: String?) {
        #expect(FetchURL(parsing: text)?.description == expected)
    }

    @Test(arguments: [
        ("http://127.0.0.1/", true), ("http://127.8.9.10:1/", true), ("http://localhost:80/", true),
        ("http://[::1]/", true), ("https://idp.example.com/", true), ("http://idp.example.com/", false),
        ("http://127.0.0.1.example.com/", false), ("http://10.0.0.1/", false),
    ])
    func plainHTTPOnlyToLoopback(_ text: String, _ trusted: Bool) {
        #expect(FetchURL(parsing: text)?.isTrustworthy == trusted)
    }

    static let cacheControls: [(String, Int?)] = [
        ("max-age=300", 300), ("public, max-age=60, must-revalidate", 60), ("MAX-AGE = 5", 5),
        ("max-age=\"90\"", 90), ("no-store", 0), ("no-cache, max-age=100", 0), ("public", nil),
        ("max-age=abc", nil), ("max-age=", nil), ("max-age=-5", nil), ("max-age=99999999999999999999999", 1 << 40),
        ("s-maxage=10", nil), ("", nil), (",,,", nil), ("max-age=10, max-age=20", 10),
    ]

    @Test(arguments: cacheControls)
    func cacheControlMaxAge(_ value: String, _ expected: Int?) {
        let bytes = Array(value.utf8)
        #expect(bytes.withUnsafeBytes { CacheControl.maxAge($0) } == expected)
    }

    static let lifetimes: [(Int?, Duration)] = [
        (nil, .seconds(3600)), (120, .seconds(120)), (5, .seconds(60)), (1_000_000, .seconds(86400)), (0, .seconds(60)),
    ]

    @Test(arguments: lifetimes)
    func lifetimeIsClampedToTheBounds(_ maxAge: Int?, _ expected: Duration) {
        #expect(JWKSSettings().lifetime(maxAge: maxAge) == expected)
    }

    static let refusedSources: [(RemoteKeySource.Location, String, String)] = [
        (.jwksURI("http://idp.example.com/jwks"), "https://idp.example.com", "must be https"),
        (.jwksURI("https://idp.example.com/jwks"), "https://idp.example.com", "/nonexistent/ca.pem"),
        (.jwksURI("idp.example.com/jwks"), "https://idp.example.com", "not an http(s) URL"),
        (.discovery, "urn:example:idp", "discovery needs iss"),
        (.discovery, "http://idp.example.com", "must be https"),
    ]

    @Test(arguments: refusedSources)
    func unusableSourcesAreRefusedAtConfigTime(_ location: RemoteKeySource.Location, _ issuer: String, _ message: String) {
        let source = RemoteKeySource(name: "idp", issuer: issuer, location: location, keySet: KeySet(), caFile: "/nonexistent/ca.pem")
        #expect {
            _ = try KeyFetcher(sources: [source], log: { _, _ in })
        } throws: { error in
            (error as? KeyFetchError)?.message.contains(message) == true
        }
    }

    @Test func stopWithoutStartAndTwiceIsHarmless() throws {
        let fetcher = try KeyFetcher(sources: [], log: { _, _ in })
        fetcher.stop()
        try fetcher.start()
        fetcher.stop()
        fetcher.stop()
        #expect(throws: KeyFetchError.self) { try fetcher.start() }
    }
}
