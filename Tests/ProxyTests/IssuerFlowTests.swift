import Foundation
import JSON
import JWT
import Store
import Testing

/// The built-in issuer's whole flow through a real gateway: login, a secured call, a forbidden one, logout,
/// the revoked token refused, refresh rotation and its theft detection, and nothing lost across a restart.
@Suite("Issuer: login, refresh, logout", .serialized)
struct IssuerFlowTests {
    @Test("login → secure 200 → admin 403 → logout → the same token 401 token_revoked, never forwarded")
    func wholeFlow() throws {
        try IssuerFixture.with { f in
            let login = try f.login("kyle", IssuerFixture.kylePassword)
            #expect(login.status == 200)
            #expect(login.header("Cache-Control") == "no-store")
            #expect(login.json?["token_type"] as? String == "Bearer")
            #expect(login.json?["expires_in"] as? Int == 900)
            let access = try #require(login.json?["access_token"] as? String)
            let refresh = try #require(login.json?["refresh_token"] as? String)

            let secure = try f.get("/api/secure", token: access)
            #expect(secure.status == 200)
            #expect(f.upstream.waitForRequests(count: 1, timeout: 5))
            let forwarded = try #require(f.upstream.received.first)
            #expect(forwarded.header("X-Auth-Subject") == "kyle")
            #expect(forwarded.header("X-Auth-Roles") == "reader")
            #expect(forwarded.header("X-Auth-Issuer") == IssuerFixture.iss)

            let admin = try f.get("/api/admin/report", token: access)
            #expect(admin.status == 403)
            #expect(admin.errorCode == "insufficient_role")

            let logout = try f.logout(access, refresh: refresh)
            #expect(logout.status == 200, "\(logout.bodyText)")

            let after = try f.get("/api/secure", token: access)
            AuthExpect.unauthorized(after, code: "token_revoked")
            #expect(try f.refresh(refresh).errorCode == "invalid_refresh_token")
            // Only the first secured call reached the upstream.
            let marker = try TestClient.request(port: f.port, path: "/public/marker")
            #expect(marker.status == 200)
            #expect(f.upstream.waitForRequests(count: 2, timeout: 5))
            #expect(f.upstream.received.map(\.path) == ["/api/secure", "/public/marker"])
        }
    }

    @Test("the access token carries the configured claims and verifies against the served JWKS")
    func tokenVerifiesAgainstJWKS() throws {
        try IssuerFixture.with { f in
            let (access, _) = try f.tokens("admin", IssuerFixture.adminPassword)
            let jwks = try f.get("/.well-known/jwks.json")
            #expect(jwks.status == 200)
            #expect(jwks.header("Cache-Control")?.hasPrefix("public") == true)
            let keys = try JWKS.parse(jwks.body)
            #expect(keys.count == 1)
            let profile = IssuerProfile(name: "gw", issuer: IssuerFixture.iss, audiences: ["legacy-api"], keys: keys)
            let verifier = TokenVerifier(issuers: IssuerSet([profile]))
            let token = try verifier.verify(access, now: AuthFixtures.now).get()
            #expect(token.subject == "admin")
            #expect(token.jti?.isEmpty == false)
            #expect(token.issuedAt != nil && token.notBefore != nil)
            #expect(token.expiresAt == token.issuedAt.map { $0 + 900 })
            #expect(token.claims["roles"] == .array([.string("reader"), .string("admin")]))
            #expect(token.claims["aud"] == .string("legacy-api"))
        }
    }

    @Test("a spent refresh token presented again revokes its whole family")
    func refreshRotationAndReuse() throws {
        try IssuerFixture.with { f in
            let (_, first) = try f.tokens()
            let rotated = try f.refresh(first)
            #expect(rotated.status == 200)
            let second = try #require(rotated.json?["refresh_token"] as? String)
            let access = try #require(rotated.json?["access_token"] as? String)
            #expect(second != first)
            #expect(try f.get("/api/secure", token: access).status == 200)

            let reuse = try f.refresh(first)
            AuthExpect.unauthorized(reuse, code: "invalid_refresh_token")
            // The thief's (or the victim's) newer token died with the family.
            #expect(try f.refresh(second).errorCode == "invalid_refresh_token")
        }
    }

    @Test("a restarted gateway on the same database still refuses the revoked token and the spent refresh token")
    func restartKeepsRevocations() throws {
        let f = try IssuerFixture()
        defer { f.stop() }
        let (access, first) = try f.tokens()
        let rotated = try f.refresh(first)
        #expect(rotated.status == 200)
        let second = try #require(rotated.json?["refresh_token"] as? String)
        #expect(try f.logout(access).status == 200)

        f.stopGateway()
        try f.startGateway()
        AuthExpect.unauthorized(try f.get("/api/secure", token: access), code: "token_revoked")
        #expect(try f.refresh(first).errorCode == "invalid_refresh_token")
        #expect(try f.refresh(second).errorCode == "invalid_refresh_token")
        try AuthExpect.nothingForwarded(before: f.upstream, gatewayPort: f.port)
    }

    @Test("logout accepts only this issuer's valid access token")
    func logoutNeedsOwnToken() throws {
        try IssuerFixture.with { f in
            AuthExpect.unauthorized(try f.post("/auth/logout", json: ""), code: "missing_token")
            let foreign = try AuthFixtures.hs256(sub: "kyle")
            AuthExpect.unauthorized(try f.logout(foreign), code: "invalid_token")
            AuthExpect.unauthorized(try f.logout("not.a.token"), code: "invalid_token")
            let (access, _) = try f.tokens()
            #expect(try f.logout(access).status == 200)
            AuthExpect.unauthorized(try f.logout(access), code: "token_revoked")
            try AuthExpect.nothingForwarded(before: f.upstream, gatewayPort: f.port)
        }
    }

    @Test("a revocation written by another process is enforced within the poll interval")
    func externalRevocation() throws {
        try IssuerFixture.with { f in
            let (access, _) = try f.tokens()
            #expect(try f.get("/api/secure", token: access).status == 200)
            let db = try Database(path: f.databasePath)
            try RevocationStore(database: db).revoke(sub: "kyle", notBefore: AuthFixtures.now + 1, until: AuthFixtures.now + 3600)
            let deadline = monotonicSeconds() + 5
            var status = 200
            while status == 200 && monotonicSeconds() < deadline {
                status = try f.get("/api/secure", token: access).status
            }
            #expect(status == 401)
            AuthExpect.unauthorized(try f.get("/api/secure", token: access), code: "token_revoked")
        }
    }
}
