import EventLoop
import Testing

@testable import LoadTest

@Suite struct RequestCatalogTests {
    static func pool() -> TokenPool {
        var tokens = [[String]](repeating: [], count: TokenClass.allCases.count)
        tokens[TokenClass.valid.rawValue] = ["v1", "v2", "v3"]
        tokens[TokenClass.expired.rawValue] = ["e1"]
        return TokenPool(tokens: tokens)
    }

    @Test func serializesEachRequestFromItsPieces() throws {
        let target = try LoadTarget(url: "http://127.0.0.1:8080/api/secure")
        let mix = try TokenMix(parsing: "valid:2,expired:1,missing:1")
        let catalog = try RequestCatalog(
            target: target, method: "POST", paths: ["/a", "/b?x=1"], headers: [("X-Test", "yes")], body: Array("hi".utf8),
            mix: mix, tokens: Self.pool())
        var cursor = RequestCursor()
        var requests: [String] = []
        for _ in 0..<8 { requests.append(catalog.request(&cursor)) }
        let tail = "Content-Length: 2\r\n\r\nhi"
        #expect(requests[0] == "POST /a HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-Test: yes\r\nAuthorization: Bearer v1\r\n" + tail)
        #expect(requests.filter { $0.contains("Bearer e1") }.count == 2)
        #expect(requests.filter { !$0.contains("Authorization") }.count == 2)
        #expect(requests.filter { $0.hasPrefix("POST /b?x=1 ") }.count == 4)
        // Valid tokens rotate: v1, v2, v3, v1.
        #expect(requests.compactMap { r in ["v1", "v2", "v3"].first { r.contains("Bearer \($0)\r\n") } } == ["v1", "v2", "v3", "v1"])
        #expect(requests.allSatisfy { $0.utf8.count <= catalog.maxRequestBytes })
    }

    @Test func defaultsToTheURLPathWithoutBody() throws {
        let target = try LoadTarget(url: "http://localhost:9000")
        let catalog = try RequestCatalog(target: target)
        var cursor = RequestCursor()
        #expect(catalog.request(&cursor) == "GET / HTTP/1.1\r\nHost: localhost:9000\r\n\r\n")
        #expect(catalog.pathCount == 1)
    }

    @Test func userHostReplacesOurs() throws {
        let target = try LoadTarget(url: "http://127.0.0.1:9000/x")
        let catalog = try RequestCatalog(target: target, headers: [("Host", "api.example")])
        var cursor = RequestCursor()
        #expect(catalog.request(&cursor) == "GET /x HTTP/1.1\r\nHost: api.example\r\n\r\n")
    }

    @Test(arguments: [
        ("G ET", [(String, String)](), "--method must be a token such as GET or POST, got \"G ET\""),
        ("GET", [("Bad Name", "v")], "--header name \"Bad Name\" is not a valid header name"),
        ("GET", [("X", "a\r\nInjected: 1")], "--header X: the value contains a control character"),
        ("GET", [("Content-Length", "5")],
         "--header Content-Length is not allowed: the load generator frames bodies and keeps connections alive itself"),
        ("GET", [("authorization", "Bearer x")], "--header authorization conflicts with --tokens, which sets Authorization per request"),
    ])
    func rejectsBadInputs(method: String, headers: [(String, String)], message: String) throws {
        let target = try LoadTarget(url: "http://127.0.0.1:9000/x")
        let mix = try TokenMix(parsing: "valid:1")
        #expect(throws: LoadError(message)) {
            try RequestCatalog(target: target, method: method, headers: headers, mix: mix, tokens: Self.pool())
        }
    }

    @Test func refusesAMixWithoutTokens() throws {
        let target = try LoadTarget(url: "http://127.0.0.1:9000/x")
        #expect(throws: LoadError("no tokens were minted for class wrong-role")) {
            try RequestCatalog(target: target, mix: try TokenMix(parsing: "wrong-role:1"), tokens: Self.pool())
        }
    }

    @Test(arguments: [
        ("http://127.0.0.1:8080/api/x?y=1", "127.0.0.1:8080", "/api/x?y=1", 8080),
        ("http://localhost/", "localhost", "/", 80),
        ("http://[::1]:9000?q", "[::1]:9000", "/?q", 9000),
    ])
    func parsesURLs(url: String, authority: String, path: String, port: Int) throws {
        let t = try LoadTarget(url: url)
        #expect(t.authority == authority)
        #expect(t.path == path)
        #expect(Int(t.address.port) == port)
    }

    @Test(arguments: [
        ("https://127.0.0.1/", "URL must start with http:// (https is not supported), got \"https://127.0.0.1/\""),
        ("http:///x", "URL has no host: \"http:///x\""),
        ("http://example.com/", "URL host must be an IP address or localhost with an optional port 1-65535, got \"example.com\""),
        ("http://127.0.0.1:0/", "URL port must be 1-65535, got \"127.0.0.1:0\""),
        ("http://127.0.0.1/a b", "path \"/a b\" contains a space, control or non-ASCII byte; percent-encode it"),
    ])
    func rejectsURLs(url: String, message: String) {
        #expect(throws: LoadError(message)) { try LoadTarget(url: url) }
    }

    @Test(arguments: [("30s", 30_000), ("500ms", 500), ("2m", 120_000), ("1h", 3_600_000), ("10", 10_000)])
    func parsesDurations(text: String, millis: Int64) {
        #expect(LoadPlan.parseDuration(text) == .milliseconds(millis))
    }

    @Test(arguments: ["", "s", "1.5s", "-1s", "10x", "ms"])
    func rejectsDurations(text: String) {
        #expect(LoadPlan.parseDuration(text) == nil)
    }
}
