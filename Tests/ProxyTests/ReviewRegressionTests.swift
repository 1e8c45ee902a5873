import Config
import Foundation
import Proxy
import Glibc
import Testing

/// Regressions for the findings of a security review of the proxy core.
@Suite(.serialized) struct ReviewRegressionTests {
    static let publicRoute = #"[{"prefix": "/", "upstream": "backend", "auth": "public"}]"#

    /// A forwarded head larger than a pool buffer used to be cut short, and the client's body then arrived
    /// at the upstream as header lines (spoofed identity headers, a smuggled second request).
    @Test func headLargerThanAPoolBufferIsForwardedWholeAndTheBodyStaysABody() throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let gw = try GatewayHarness(config: GatewayHarness.config(routes: Self.publicRoute), upstreamPort: upstream.port)
        defer { gw.stop() }
        let pad = String(repeating: "A", count: 17_000)
        let body = Array("\r\nX-Auth-Subject: admin\r\nX-Auth-Roles: admin\r\n\r\nGET /admin HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        let client = try TestClient(port: gw.port)
        defer { client.close() }
        #expect(client.send("POST /upload HTTP/1.1\r\nHost: t\r\nX-Pad: \(pad)\r\nContent-Length: \(body.count)\r\n\r\n"))
        #expect(client.send(body))
        #expect(try client.readResponse().status == 200)
        #expect(upstream.waitForRequests(count: 1, timeout: 5))
        let got = try #require(upstream.received.first)
        #expect(upstream.received.count == 1)
        #expect(upstream.protocolErrors.isEmpty)
        #expect(got.header("X-Pad")?.count == 17_000)
        #expect(got.header("X-Forwarded-For") == "127.0.0.1")
        #expect(got.header("X-Auth-Subject") == nil)
        #expect(got.body == body)
    }

    /// `OPTIONS *` with a body: the body is never parsed as a next request; the connection closes.
    @Test func serverOptionsWithABodyClosesInsteadOfReadingTheBodyAsARequest() throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let gw = try GatewayHarness(config: GatewayHarness.config(routes: Self.publicRoute), upstreamPort: upstream.port)
        defer { gw.stop() }
        let inner = "GET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n"
        let client = try TestClient(port: gw.port)
        defer { client.close() }
        #expect(client.send("OPTIONS * HTTP/1.1\r\nHost: t\r\nContent-Length: \(inner.utf8.count)\r\n\r\n\(inner)"))
        let r = try client.readResponse()
        #expect(r.status == 204)
        #expect(r.header("Connection")?.lowercased() == "close")
        #expect(client.isClosedByPeer(within: 5))
        #expect(upstream.acceptCount == 0)
    }

    /// Answers to pipelined requests are all delivered when the client half-closes after sending them.
    @Test func pipelinedAnswersSurviveAClientHalfClose() throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let gw = try GatewayHarness(
            config: GatewayHarness.config(routes: #"[{"path": "/only", "upstream": "backend", "auth": "public"}]"#),
            upstreamPort: upstream.port)
        defer { gw.stop() }
        let count = 2000
        let client = try TestClient(port: gw.port)
        defer { client.close() }
        #expect(client.send(String(repeating: "GET /nope HTTP/1.1\r\nHost: t\r\n\r\n", count: count)))
        shutdown(client.fd, Int32(SHUT_WR))
        let all = client.readUntilClose()
        let answers = String(decoding: all, as: UTF8.self).components(separatedBy: "HTTP/1.1 404 ").count - 1
        #expect(answers == count)
    }

    /// A token repeated in the query (also under a percent-encoded name) is refused: the gateway must not
    /// verify one value while the API reads the other.
    @Test(arguments: [
        "/q?access_token={T}&access_token=forged",
        "/q?access%5Ftoken=forged&access_token={T}",
        "/q?access_token={T}&x=1&access%5ftoken=forged",
    ])
    func repeatedQueryTokenIsRefused(_ target: String) throws {
        try AuthFixtures.withGateway(routes: [
            #"{"prefix": "/q", "upstream": "backend", "auth": "authenticated", "token": {"query": "access_token"}}"#
        ]) { gw, upstream in
            let token = try AuthFixtures.hs256()
            let r = try TestClient.request(port: gw.port, method: "GET", path: target.replacingOccurrences(of: "{T}", with: token), headers: [], body: [])
            AuthExpect.unauthorized(r)
            try AuthExpect.nothingForwarded(before: upstream, gatewayPort: gw.port)
        }
    }

    /// Method and URL override headers never reach the API: the policy was checked for the real method/path.
    @Test func methodAndURLOverrideHeadersAreStripped() throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let gw = try GatewayHarness(config: GatewayHarness.config(routes: Self.publicRoute), upstreamPort: upstream.port)
        defer { gw.stop() }
        let r = try TestClient.request(port: gw.port, method: "GET", path: "/x", headers: [
            ("X-HTTP-Method-Override", "DELETE"), ("X-Method-Override", "DELETE"), ("X-HTTP-Method", "DELETE"),
            ("X-Original-URL", "/admin"), ("X-Rewrite-URL", "/admin"), ("X-Kept", "yes"),
        ], body: [])
        #expect(r.status == 200)
        #expect(upstream.waitForRequests(count: 1, timeout: 5))
        let got = try #require(upstream.received.first)
        for name in ["X-HTTP-Method-Override", "X-Method-Override", "X-HTTP-Method", "X-Original-URL", "X-Rewrite-URL"] {
            #expect(got.header(name) == nil, "\(name)")
        }
        #expect(got.header("X-Kept") == "yes")
    }
}

/// Findings of the review of the token path.
@Suite(.serialized) struct TokenPathReviewTests {
    /// The same token cookie twice in one Cookie header is refused: servers differ on which one they keep.
    @Test func repeatedTokenCookieIsRefused() throws {
        try AuthFixtures.withGateway(routes: [
            #"{"prefix": "/c", "upstream": "backend", "auth": "authenticated", "token": {"cookie": "tok"}}"#
        ]) { gw, upstream in
            let token = try AuthFixtures.hs256()
            let r = try TestClient.request(port: gw.port, method: "GET", path: "/c", headers: [("Cookie", "tok=\(token); a=1; tok=forged")], body: [])
            AuthExpect.unauthorized(r)
            try AuthExpect.nothingForwarded(before: upstream, gatewayPort: gw.port)
        }
    }

    /// HEAD on a route whose GET needs a role is held to GET's rule.
    @Test func headIsHeldToTheGetRule() throws {
        try AuthFixtures.withGateway(routes: [
            #"{"prefix": "/r", "upstream": "backend", "auth": {"methods": {"GET": {"any": ["admin"]}}}}"#
        ]) { gw, upstream in
            let reader = try AuthFixtures.hs256(roles: ["reader"])
            let r = try TestClient.request(port: gw.port, method: "HEAD", path: "/r", headers: [AuthFixtures.bearer(reader)], body: [])
            #expect(r.status == 403)
            try AuthExpect.nothingForwarded(before: upstream, gatewayPort: gw.port)
        }
    }
}

/// A roles claim whose name contains dots (Auth0 namespaced claims) is reachable from gateway.json with the
/// bracket syntax, both for policies and for minting.
@Test func bracketedRolesClaimFromTheConfigIsHonoured() throws {
    let json = """
        {"listen": "127.0.0.1:0", "upstreams": {"b": ["127.0.0.1:9"]},
         "issuers": {"a0": {"iss": "https://a0", "roles_claim": "[\\"https://example.com/roles\\"]",
                            "keys": [{"alg": "HS256", "secret_env": "S"}]}},
         "routes": [{"prefix": "/", "upstream": "b", "auth": {"any": ["admin"]}}]}
        """
    let env = ["S": "a-secret-that-is-at-least-32-bytes-long"]
    guard case .success(let config) = ConfigLoader.decode(Array(json.utf8)) else {
        Issue.record("config does not decode")
        return
    }
    guard case .success(let snapshot) = SnapshotBuilder.build(config, environment: { env[$0] }) else {
        Issue.record("snapshot does not build")
        return
    }
    let minter = try TokenMinter(config: config, issuerName: "a0", environment: { env[$0] })
    let admin = try minter.mint(subject: "z", roles: ["admin"], ttlSeconds: 600)
    let reader = try minter.mint(subject: "z", roles: ["reader"], ttlSeconds: 600)
    let explainer = Explainer(snapshot: snapshot)
    #expect(explainer.explain(method: "GET", target: "/x", token: admin).status == 200)
    #expect(explainer.explain(method: "GET", target: "/x", token: reader).status == 403)
}
