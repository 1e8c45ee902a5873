import Foundation
import Testing

/// CORS for browser front-ends: the gateway answers preflights itself (no token needed, nothing forwarded)
/// and adds the response headers to upstream answers and to its own rejections.
@Suite("CORS", .serialized)
struct CORSTests {
    static let origin = "https://app.example.com"
    static let routes = [
        #"""
        {"name": "secure", "path": "/api/secure", "methods": ["GET", "POST"], "upstream": "backend", "auth": "authenticated",
         "cors": {"origins": ["https://app.example.com"], "credentials": true, "max_age": "5m", "expose_headers": ["X-Total"]}}
        """#,
        #"""
        {"name": "open", "path": "/api/open", "upstream": "backend", "auth": "public", "cors": {"origins": ["*"]}}
        """#,
        #"{"name": "plain", "path": "/api/plain", "upstream": "backend", "auth": "public"}"#,
    ]

    static func preflight(_ gw: GatewayHarness, path: String, origin: String = origin, method: String = "GET") throws -> TestResponse {
        try TestClient.request(
            port: gw.port, method: "OPTIONS", path: path,
            headers: [("Origin", origin), ("Access-Control-Request-Method", method), ("Access-Control-Request-Headers", "authorization")])
    }

    @Test("a preflight on a protected route gets 204 without a token and is never forwarded")
    func preflightOnProtectedRoute() throws {
        try AuthFixtures.withGateway(routes: Self.routes) { gw, upstream in
            let r = try Self.preflight(gw, path: "/api/secure", method: "POST")
            #expect(r.status == 204)
            #expect(r.header("Access-Control-Allow-Origin") == Self.origin)
            #expect(r.header("Access-Control-Allow-Credentials") == "true")
            #expect(r.header("Access-Control-Allow-Methods") == "GET, POST")
            #expect(r.header("Access-Control-Allow-Headers") == "Authorization, Content-Type")
            #expect(r.header("Access-Control-Max-Age") == "300")
            #expect(r.header("Vary") == "Origin")
            #expect(r.body.isEmpty)
            try AuthExpect.nothingForwarded(before: upstream, gatewayPort: gw.port)
        }
    }

    @Test("a preflight from an origin not listed is refused with 403 and no CORS headers")
    func preflightFromOtherOrigin() throws {
        try AuthFixtures.withGateway(routes: Self.routes) { gw, upstream in
            let r = try Self.preflight(gw, path: "/api/secure", origin: "https://evil.example")
            #expect(r.status == 403)
            #expect(r.errorCode == "cors_origin_denied")
            #expect(r.header("Access-Control-Allow-Origin") == nil)
            // A method the route does not serve is not preflighted as allowed either.
            let m = try Self.preflight(gw, path: "/api/secure", method: "DELETE")
            #expect(m.status == 405)
            try AuthExpect.nothingForwarded(before: upstream, gatewayPort: gw.port)
        }
    }

    @Test("answers to an allowed origin carry the headers, the 401 included; the upstream's own are replaced")
    func actualRequests() throws {
        try AuthFixtures.withGateway(routes: Self.routes) { gw, upstream in
            upstream.handle("/api/secure", .respond(status: 200, headers: [("Access-Control-Allow-Origin", "*")], body: Array("ok".utf8), framing: .contentLength))
            let denied = try TestClient.request(port: gw.port, path: "/api/secure", headers: [("Origin", Self.origin)])
            AuthExpect.unauthorized(denied, code: "missing_token")
            #expect(denied.header("Access-Control-Allow-Origin") == Self.origin)
            #expect(denied.header("Access-Control-Expose-Headers")?.contains("X-Total") == true)

            let ok = try TestClient.request(
                port: gw.port, path: "/api/secure", headers: [("Origin", Self.origin), AuthFixtures.bearer(try AuthFixtures.hs256())])
            #expect(ok.status == 200)
            #expect(ok.headers(named: "Access-Control-Allow-Origin") == [Self.origin])
            #expect(ok.header("Access-Control-Allow-Credentials") == "true")

            let other = try TestClient.request(
                port: gw.port, path: "/api/secure", headers: [("Origin", "https://evil.example"), AuthFixtures.bearer(try AuthFixtures.hs256())])
            #expect(other.status == 200)
            #expect(other.header("Access-Control-Allow-Origin") == nil)
            #expect(other.header("Vary") == "Origin")

            let open = try TestClient.request(port: gw.port, path: "/api/open", headers: [("Origin", "https://anyone.example")])
            #expect(open.header("Access-Control-Allow-Origin") == "*")
            #expect(open.header("Access-Control-Allow-Credentials") == nil)
        }
    }

    @Test("a route without CORS treats OPTIONS as an ordinary request")
    func routeWithoutCORS() throws {
        try AuthFixtures.withGateway(routes: Self.routes) { gw, upstream in
            let r = try Self.preflight(gw, path: "/api/plain")
            #expect(r.status == 200)
            #expect(r.header("Access-Control-Allow-Origin") == nil)
            #expect(upstream.waitForRequests(count: 1, timeout: 5))
            #expect(upstream.received.first?.method == "OPTIONS")
        }
    }
}
