import Foundation
import Testing

/// Bearer-token admission through the real gateway: what reaches the upstream for valid tokens, and that
/// nothing does for rejected ones.
@Suite(.serialized) struct AuthIntegrationTests {
    static let secure = #"{"prefix": "/api/secure", "upstream": "backend", "auth": "authenticated"}"#
    static let forwarding =
        #"{"prefix": "/api/forward", "upstream": "backend", "auth": "authenticated", "forward_authorization": true}"#

    @Test func missingTokenIsChallengedAndNotForwarded() throws {
        try AuthFixtures.withGateway(routes: [Self.secure]) { gw, upstream in
            let r = try TestClient.request(port: gw.port, path: "/api/secure/items")
            AuthExpect.unauthorized(r, code: "missing_token")
            #expect(r.header("WWW-Authenticate") == "Bearer realm=\"\(AuthFixtures.realm)\"")
            #expect(r.header("Cache-Control") == "no-store")
            try AuthExpect.nothingForwarded(before: upstream, gatewayPort: gw.port)
        }
    }

    @Test func validHS256TokenForwardsIdentityAndStripsAuthorization() throws {
        try AuthFixtures.withGateway(routes: [Self.secure]) { gw, upstream in
            let token = try AuthFixtures.hs256(roles: ["reader", "editor"])
            let r = try TestClient.request(port: gw.port, path: "/api/secure/items?x=1", headers: [AuthFixtures.bearer(token)])
            #expect(r.status == 200)
            #expect(upstream.waitForRequests(count: 1, timeout: 5))
            let got = try #require(upstream.received.first)
            #expect(got.target == "/api/secure/items?x=1")
            #expect(got.headers(named: "X-Auth-Subject") == ["alice"])
            #expect(got.headers(named: "X-Auth-Roles") == ["reader,editor"])
            #expect(got.headers(named: "X-Auth-Issuer") == [AuthFixtures.issuer])
            #expect(got.header("Authorization") == nil)
        }
    }

    @Test func forwardAuthorizationPassesTheHeaderUnchanged() throws {
        try AuthFixtures.withGateway(routes: [Self.forwarding]) { gw, upstream in
            let token = try AuthFixtures.hs256()
            let r = try TestClient.request(port: gw.port, path: "/api/forward", headers: [AuthFixtures.bearer(token)])
            #expect(r.status == 200)
            #expect(upstream.waitForRequests(count: 1, timeout: 5))
            let got = try #require(upstream.received.first)
            #expect(got.headers(named: "Authorization") == ["Bearer " + token])
            #expect(got.header("X-Auth-Subject") == "alice")
        }
    }

    /// Leeway (30 s here) tolerates clock skew; the boundary case beyond it is in AuthAttackTests.
    @Test func tokenExpiredWithinLeewayIsAccepted() throws {
        try AuthFixtures.withGateway(routes: [Self.secure]) { gw, upstream in
            let r = try TestClient.request(
                port: gw.port, path: "/api/secure", headers: [AuthFixtures.bearer(try AuthFixtures.hs256(expIn: -5))])
            #expect(r.status == 200)
            #expect(upstream.waitForRequests(count: 1, timeout: 5))
        }
    }

    @Test func wrongRoleIsForbiddenAndNotForwarded() throws {
        let route = #"{"prefix": "/api/admin", "upstream": "backend", "auth": {"any": ["admin"]}}"#
        try AuthFixtures.withGateway(routes: [route]) { gw, upstream in
            let token = try AuthFixtures.hs256(roles: ["reader"])
            let r = try TestClient.request(port: gw.port, path: "/api/admin/users", headers: [AuthFixtures.bearer(token)])
            #expect(r.status == 403)
            #expect(r.errorCode == "insufficient_role")
            let challenge = r.header("WWW-Authenticate") ?? ""
            #expect(challenge.hasPrefix("Bearer realm=\"\(AuthFixtures.realm)\""))
            #expect(challenge.contains("error=\"insufficient_scope\""))
            try AuthExpect.nothingForwarded(before: upstream, gatewayPort: gw.port)
        }
    }

    @Test func perMethodRulesGateEachMethod() throws {
        let route = """
            {"prefix": "/api/docs", "upstream": "backend",
             "auth": {"methods": {"GET": {"any": ["reader"]}, "POST,PUT": {"any": ["editor"]}}}}
            """
        try AuthFixtures.withGateway(routes: [route]) { gw, upstream in
            let reader = AuthFixtures.bearer(try AuthFixtures.hs256(sub: "rita", roles: ["reader"]))
            let editor = AuthFixtures.bearer(try AuthFixtures.hs256(sub: "eddie", roles: ["editor"]))
            let cases: [(String, (String, String), Int)] = [
                ("GET", reader, 200), ("POST", reader, 403), ("PUT", reader, 403),
                ("GET", editor, 403), ("POST", editor, 200), ("PUT", editor, 200),
            ]
            for (method, auth, status) in cases {
                let body = method == "GET" ? [] : Array("{}".utf8)
                let r = try TestClient.request(port: gw.port, method: method, path: "/api/docs/1", headers: [auth], body: body)
                #expect(r.status == status, "\(method) \(auth.1.prefix(20))")
                if status == 403 { #expect(r.errorCode == "insufficient_role") }
            }
            #expect(upstream.waitForRequests(count: 3, timeout: 5))
            let forwarded = upstream.received.map { "\($0.method) \($0.header("X-Auth-Subject") ?? "-")" }
            #expect(forwarded == ["GET rita", "POST eddie", "PUT eddie"])
        }
    }

    @Test func nestedRolesClaimPathIsUsedForPolicyAndHeaders() throws {
        let route = #"{"prefix": "/api/kc", "upstream": "backend", "auth": {"issuers": ["keycloak"], "any": ["admin"]}}"#
        try AuthFixtures.withGateway(routes: [route]) { gw, upstream in
            let key = try AuthFixtures.hmacSigner(kid: nil)
            let header = #"{"alg":"HS256","typ":"JWT"}"#
            let nested = try AuthFixtures.token(
                header: header,
                payload: AuthFixtures.payload(
                    iss: AuthFixtures.keycloakIssuer, sub: "kc-admin", roles: nil,
                    extra: #""realm_access":{"roles":["admin","user"]}"#),
                key: key)
            // The top-level "roles" claim is not the configured path, so it grants nothing.
            let topLevel = try AuthFixtures.token(
                header: header,
                payload: AuthFixtures.payload(
                    iss: AuthFixtures.keycloakIssuer, sub: "kc-user", roles: ["admin"],
                    extra: #""realm_access":{"roles":["user"]}"#),
                key: key)
            let ok = try TestClient.request(port: gw.port, path: "/api/kc", headers: [AuthFixtures.bearer(nested)])
            #expect(ok.status == 200)
            let denied = try TestClient.request(port: gw.port, path: "/api/kc", headers: [AuthFixtures.bearer(topLevel)])
            #expect(denied.status == 403)
            #expect(denied.errorCode == "insufficient_role")
            // A token of an issuer the route does not list is refused before authorization.
            let mainIssuer = try TestClient.request(
                port: gw.port, path: "/api/kc", headers: [AuthFixtures.bearer(try AuthFixtures.hs256(roles: ["admin"]))])
            AuthExpect.unauthorized(mainIssuer)
            #expect(upstream.waitForRequests(count: 1, timeout: 5))
            let got = try #require(upstream.received.first)
            #expect(upstream.received.count == 1)
            #expect(got.header("X-Auth-Subject") == "kc-admin")
            #expect(got.header("X-Auth-Roles") == "admin,user")
            #expect(got.header("X-Auth-Issuer") == AuthFixtures.keycloakIssuer)
        }
    }

    @Test func spaceSeparatedScopeStringsAreSplit() throws {
        let route = #"{"prefix": "/api/items", "upstream": "backend", "auth": {"scopes": {"all": ["items:read", "items:write"]}}}"#
        try AuthFixtures.withGateway(routes: [route]) { gw, upstream in
            let both = try AuthFixtures.hs256(sub: "both", extra: #""scope":"openid items:read items:write""#)
            let one = try AuthFixtures.hs256(sub: "one", extra: #""scope":"items:read""#)
            let joined = try AuthFixtures.hs256(sub: "joined", extra: #""scope":"items:readitems:write""#)
            #expect(try TestClient.request(port: gw.port, path: "/api/items", headers: [AuthFixtures.bearer(both)]).status == 200)
            for token in [one, joined] {
                let r = try TestClient.request(port: gw.port, path: "/api/items", headers: [AuthFixtures.bearer(token)])
                #expect(r.status == 403)
                #expect(r.errorCode == "insufficient_role")
            }
            #expect(upstream.waitForRequests(count: 1, timeout: 5))
            #expect(upstream.received.map { $0.header("X-Auth-Subject") } == ["both"])
        }
    }

    @Test func tokenFromCookieIsAccepted() throws {
        let route = #"{"prefix": "/api/cookie", "upstream": "backend", "auth": "authenticated", "token": {"cookie": "session"}}"#
        try AuthFixtures.withGateway(routes: [route]) { gw, upstream in
            let token = try AuthFixtures.hs256()
            let r = try TestClient.request(
                port: gw.port, path: "/api/cookie", headers: [("Cookie", "theme=dark; session=\(token); lang=en")])
            #expect(r.status == 200)
            #expect(upstream.waitForRequests(count: 1, timeout: 5))
            let got = try #require(upstream.received.first)
            #expect(got.header("X-Auth-Subject") == "alice")
            #expect(got.header("Authorization") == nil)
            // A cookie of another name is no token.
            let other = try TestClient.request(port: gw.port, path: "/api/cookie", headers: [("Cookie", "sessionx=\(token)")])
            AuthExpect.unauthorized(other, code: "missing_token")
        }
    }

    @Test(arguments: [
        ("/api/query?x=1&access_token={T}&y=2", "/api/query?x=1&y=2"),
        ("/api/query?access_token={T}", "/api/query"),
        ("/api/query?access_token={T}&y=2", "/api/query?y=2"),
        ("/api/query?x=1&access_token={T}", "/api/query?x=1"),
    ])
    func tokenFromQueryIsRemovedBeforeForwarding(sent: String, forwarded: String) throws {
        let route = #"{"prefix": "/api/query", "upstream": "backend", "auth": "authenticated", "token": {"query": "access_token"}}"#
        try AuthFixtures.withGateway(routes: [route]) { gw, upstream in
            let token = try AuthFixtures.hs256()
            let r = try TestClient.request(port: gw.port, path: sent.replacingOccurrences(of: "{T}", with: token))
            #expect(r.status == 200)
            #expect(upstream.waitForRequests(count: 1, timeout: 5))
            let got = try #require(upstream.received.first)
            #expect(got.target == forwarded)
            #expect(!got.target.contains(token))
            #expect(got.header("X-Auth-Subject") == "alice")
        }
    }

    /// Envoy's rule: with two credentials the proxy and the API might pick different ones, so neither is used.
    @Test func twoTokensAreRefused() throws {
        let route = """
            {"prefix": "/api/two", "upstream": "backend", "auth": "authenticated",
             "token": {"cookie": "session", "query": "access_token"}}
            """
        try AuthFixtures.withGateway(routes: [route]) { gw, upstream in
            let alice = try AuthFixtures.hs256()
            let mallory = try AuthFixtures.hs256(sub: "mallory")
            let attempts: [(String, [(String, String)])] = [
                ("/api/two", [AuthFixtures.bearer(alice), ("Cookie", "session=\(mallory)")]),
                ("/api/two?access_token=\(mallory)", [AuthFixtures.bearer(alice)]),
                ("/api/two?access_token=\(mallory)", [("Cookie", "session=\(alice)")]),
                ("/api/two", [AuthFixtures.bearer(alice), AuthFixtures.bearer(mallory)]),
                ("/api/two", [AuthFixtures.bearer(alice), AuthFixtures.bearer(alice)]),
            ]
            for (path, headers) in attempts {
                let r = try TestClient.request(port: gw.port, path: path, headers: headers)
                AuthExpect.unauthorized(r)
            }
            try AuthExpect.nothingForwarded(before: upstream, gatewayPort: gw.port)
        }
    }

    @Test(arguments: [
        ("Bearer", "invalid_token"), ("Bearer  {T}", "invalid_token"), ("Bearer {T} extra", "invalid_token"),
        ("Bearer\t{T}", "invalid_token"), ("BearerX {T}", "invalid_token"), ("Basic dXNlcjpwYXNz", "missing_token"),
        ("Token {T}", "missing_token"),
    ])
    func malformedAuthorizationIsRefused(value: String, code: String) throws {
        try AuthFixtures.withGateway(routes: [Self.secure]) { gw, upstream in
            let token = try AuthFixtures.hs256()
            let header = ("Authorization", value.replacingOccurrences(of: "{T}", with: token))
            let r = try TestClient.request(port: gw.port, path: "/api/secure", headers: [header])
            AuthExpect.unauthorized(r, code: code)
            try AuthExpect.nothingForwarded(before: upstream, gatewayPort: gw.port)
        }
    }

    /// RFC 9110 §11.1: the auth scheme is case-insensitive.
    @Test func lowercaseBearerSchemeIsAccepted() throws {
        try AuthFixtures.withGateway(routes: [Self.secure]) { gw, upstream in
            let r = try TestClient.request(
                port: gw.port, path: "/api/secure", headers: [("Authorization", "bEARER " + (try AuthFixtures.hs256()))])
            #expect(r.status == 200)
            #expect(upstream.waitForRequests(count: 1, timeout: 5))
        }
    }

    /// A token in the query string of a route that did not opt in is not a credential (and stays in the URL).
    @Test func queryTokenIsIgnoredUnlessTheRouteOptsIn() throws {
        try AuthFixtures.withGateway(routes: [Self.secure]) { gw, upstream in
            let token = try AuthFixtures.hs256()
            let r = try TestClient.request(port: gw.port, path: "/api/secure?access_token=\(token)")
            AuthExpect.unauthorized(r, code: "missing_token")
            try AuthExpect.nothingForwarded(before: upstream, gatewayPort: gw.port)
        }
    }

    @Test func headRequestGetsChallengeWithoutBody() throws {
        try AuthFixtures.withGateway(routes: [Self.secure]) { gw, upstream in
            let r = try TestClient.request(port: gw.port, method: "HEAD", path: "/api/secure")
            #expect(r.status == 401)
            #expect(r.body.isEmpty)
            #expect(r.header("WWW-Authenticate") == "Bearer realm=\"\(AuthFixtures.realm)\"")
            try AuthExpect.nothingForwarded(before: upstream, gatewayPort: gw.port)
        }
    }

    /// A verified token is cached per worker; the cache must not let it past a route that restricts issuers.
    @Test func cachedTokenStillHonoursRouteIssuerRestriction() throws {
        let restricted = #"{"prefix": "/api/kc", "upstream": "backend", "auth": {"issuers": ["keycloak"]}}"#
        try AuthFixtures.withGateway(routes: [Self.secure, restricted]) { gw, upstream in
            let token = AuthFixtures.bearer(try AuthFixtures.hs256())
            let client = try TestClient(port: gw.port)
            defer { client.close() }
            client.send(path: "/api/secure", headers: [token])
            #expect(try client.readResponse().status == 200)
            client.send(path: "/api/kc", headers: [token])
            AuthExpect.unauthorized(try client.readResponse())
            #expect(upstream.waitForRequests(count: 1, timeout: 5))
            client.send(path: "/public/after", headers: [token])
            #expect(try client.readResponse().status == 200)
            #expect(upstream.waitForRequests(count: 2, timeout: 5))
            #expect(upstream.received.map(\.path) == ["/api/secure", "/public/after"])
        }
    }

    /// Claims are attacker-influenced text at some issuers: CR/LF in one must not become a header line upstream.
    @Test func controlCharactersInClaimsCannotInjectHeaders() throws {
        try AuthFixtures.withGateway(routes: [Self.secure]) { gw, upstream in
            let token = try AuthFixtures.hs256(sub: #"alice\r\nX-Injected: 1"#, roles: [#"reader\r\nX-Auth-Roles: admin"#])
            let r = try TestClient.request(port: gw.port, path: "/api/secure", headers: [AuthFixtures.bearer(token)])
            #expect(r.status == 200)
            #expect(upstream.waitForRequests(count: 1, timeout: 5))
            let got = try #require(upstream.received.first)
            #expect(got.header("X-Injected") == nil)
            #expect(got.headers(named: "X-Auth-Subject") == ["aliceX-Injected: 1"])
            #expect(got.headers(named: "X-Auth-Roles") == ["readerX-Auth-Roles: admin"])
        }
    }

    @Test func oversizedTokenIsRefused() throws {
        try AuthFixtures.withGateway(routes: [Self.secure]) { gw, upstream in
            let padding = String(repeating: "p", count: 9000)
            let token = try AuthFixtures.hs256(extra: #""pad":"\#(padding)""#)
            let r = try TestClient.request(port: gw.port, path: "/api/secure", headers: [AuthFixtures.bearer(token)])
            AuthExpect.unauthorized(r)
            try AuthExpect.nothingForwarded(before: upstream, gatewayPort: gw.port)
        }
    }

    static let spoofed: [(String, String)] = [
        ("X-Auth-Subject", "mallory"), ("x-auth-roles", "admin"), ("X-AUTH-ISSUER", "https://evil.test"),
        ("X_Auth_Subject", "mallory"),
    ]

    @Test func spoofedIdentityHeadersNeverReachTheUpstream() throws {
        try AuthFixtures.withGateway(routes: [Self.secure]) { gw, upstream in
            let token = try AuthFixtures.hs256(roles: ["reader"])
            let headers = Self.spoofed + [AuthFixtures.bearer(token)]
            let r = try TestClient.request(port: gw.port, path: "/api/secure", headers: headers)
            #expect(r.status == 200)
            let pub = try TestClient.request(port: gw.port, path: "/public/page", headers: Self.spoofed)
            #expect(pub.status == 200)
            #expect(upstream.waitForRequests(count: 2, timeout: 5))
            let received = upstream.received
            try #require(received.count == 2)
            #expect(received[0].headers(named: "X-Auth-Subject") == ["alice"])
            #expect(received[0].headers(named: "X-Auth-Roles") == ["reader"])
            #expect(received[0].headers(named: "X-Auth-Issuer") == [AuthFixtures.issuer])
            for got in received {
                #expect(!got.headers.contains { $0.0.lowercased().replacingOccurrences(of: "_", with: "-") == "x-auth-subject" && $0.1 == "mallory" })
                #expect(!got.headers.contains { $0.1 == "admin" || $0.1 == "https://evil.test" })
            }
            #expect(received[1].header("X-Auth-Subject") == nil)
            #expect(received[1].header("X-Auth-Roles") == nil)
        }
    }

    /// A header name with trailing whitespace is invalid (RFC 9112 §5.1): it must be refused, not forwarded.
    @Test func identityHeaderWithWhitespaceBeforeColonIsRefused() throws {
        try AuthFixtures.withGateway(routes: [Self.secure]) { gw, upstream in
            let r = try TestClient.request(port: gw.port, path: "/public/page", headers: [("X-Auth-Subject ", "mallory")])
            #expect(r.status == 400)
            try AuthExpect.nothingForwarded(before: upstream, gatewayPort: gw.port)
        }
    }

    @Test func rejectedPostWithSmallBodyKeepsTheConnectionUsable() throws {
        try AuthFixtures.withGateway(routes: [Self.secure]) { gw, upstream in
            let client = try TestClient(port: gw.port)
            defer { client.close() }
            client.send(method: "POST", path: "/api/secure/items", body: Array(#"{"name":"x"}"#.utf8))
            let first = try client.readResponse()
            AuthExpect.unauthorized(first, code: "missing_token")
            #expect(first.header("Connection")?.lowercased() != "close")
            let bad = try AuthFixtures.hs256(roles: ["reader"]) + "x"
            client.send(method: "POST", path: "/api/secure/items", headers: [AuthFixtures.bearer(bad)], body: Array("abc".utf8))
            AuthExpect.unauthorized(try client.readResponse())
            client.send(method: "GET", path: "/public/after")
            let second = try client.readResponse()
            #expect(second.status == 200)
            #expect(upstream.waitForRequests(count: 1, timeout: 5))
            #expect(upstream.received.map(\.target) == ["/public/after"])
            #expect(upstream.received.first?.body == [])
        }
    }
}
