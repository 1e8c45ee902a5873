import Foundation
import JWT
import Testing

/// Regressions found by reviewing the issuer's wiring: request framing on the gateway's own endpoints and
/// revocations that must outlive every instant their token is still accepted.
@Suite("Issuer review regressions", .serialized)
struct IssuerReviewTests {
    static let smuggled = "GET /public/smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    /// A JWKS request whose body is a whole second request, framed by Content-Length or chunked.
    static let framings: [(method: String, framing: String)] = [
        ("GET", "Content-Length: \(smuggled.utf8.count)"),
        ("HEAD", "Content-Length: \(smuggled.utf8.count)"),
        ("GET", "Transfer-Encoding: chunked"),
    ]

    @Test("a body sent with a JWKS request is never read as the next request", arguments: framings)
    func jwksBodyIsNotANewRequest(method: String, framing: String) throws {
        try IssuerFixture.with { f in
            let client = try TestClient(port: f.port)
            defer { client.close() }
            client.send("\(method) /.well-known/jwks.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\(framing)\r\n\r\n" + Self.smuggled)
            let r = try client.readResponse(headRequest: method == "HEAD")
            #expect(r.status == 200)
            // A front proxy counts one request here: the gateway must not answer a second one.
            #expect(client.isClosedByPeer(within: 5))
            try AuthExpect.nothingForwarded(before: f.upstream, gatewayPort: f.port)
        }
    }

    @Test("a token signed out within the verifier's leeway stays revoked after a restart")
    func logoutCoversTheLeeway() throws {
        let f = try IssuerFixture()
        defer { f.stop() }
        // The issuer's own key and claims; exp has just passed, so the 5 s leeway still accepts the token.
        let key = try AuthFixtures.privateSigner("ec256-private.pem", .ES256, kid: "gw-ec")
        let payload = AuthFixtures.payload(
            iss: IssuerFixture.iss, sub: "kyle", expIn: -1, extra: #""jti":"review-\#(UInt64.random(in: 1 ... .max))""#)
        let token = try AuthFixtures.token(header: #"{"alg":"ES256","typ":"JWT","kid":"gw-ec"}"#, payload: payload, key: key)
        #expect(try f.get("/api/secure", token: token).status == 200)
        #expect(try f.logout(token).status == 200)
        AuthExpect.unauthorized(try f.get("/api/secure", token: token), code: "token_revoked")

        // A restart reloads only the revocations not yet expired; the token is accepted for a few seconds more.
        f.stopGateway()
        try f.startGateway()
        AuthExpect.unauthorized(try f.get("/api/secure", token: token), code: "token_revoked")
        #expect(f.upstream.received.map(\.path) == ["/api/secure"])
    }

    @Test("answers that depend on Origin say so even when the request had none")
    func varyOriginWithoutOrigin() throws {
        let cors = #""cors": {"origins": ["https://app.example.com"]}"#
        let routes = [
            #"{"name": "secure", "path": "/api/secure", "upstream": "backend", "auth": "authenticated", \#(cors)}"#,
            #"{"name": "open", "path": "/api/open", "upstream": "backend", "auth": "public", "cors": {"origins": ["*"]}}"#,
        ]
        try IssuerFixture.with(issuer: cors, routes: routes) { f in
            // The JWKS is publicly cacheable: without Vary a cache would serve this copy, lacking
            // Access-Control-Allow-Origin, to the browser front-end the issuer's CORS is for.
            let jwks = try f.get("/.well-known/jwks.json")
            #expect(jwks.status == 200)
            #expect(jwks.header("Vary") == "Origin")
            let denied = try f.get("/api/secure")
            #expect(denied.status == 401)
            #expect(denied.header("Vary") == "Origin")
            // A wildcard does not vary: every answer carries it.
            let open = try f.get("/api/open")
            #expect(open.status == 200)
            #expect(open.header("Access-Control-Allow-Origin") == "*")
        }
    }
}
