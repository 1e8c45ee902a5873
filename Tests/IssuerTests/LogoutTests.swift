import JWT
import Store
import Testing

@testable import Issuer

struct LogoutTests {
    @Test func logoutRevokesTheTokenAndTheMirrorSeesItAtOnce() async throws {
        let fixture = try IssuerFixture()
        let login = await fixture.login()
        let token = try #require(string(login, "access_token"))
        let verified = try fixture.verifier().verify(token, now: UnixTime.now()).get()
        let jti = try #require(verified.jti)
        let expiresAt = Int64(try #require(verified.expiresAt))
        let before = fixture.mirror.version
        #expect(!fixture.mirror.current().set.isRevoked(jti: jti, sub: "alice", issuedAt: nil))

        let reply = await fixture.perform(
            .logout(jti: jti, subject: "alice", expiresAt: expiresAt, refreshToken: string(login, "refresh_token")))
        #expect(reply.status == 200)
        #expect(document(reply) == ["message": "Signed out."])
        // No poller runs in this fixture: the service published the revocation itself, before replying.
        #expect(fixture.mirror.version == before + 1)
        let current = fixture.mirror.current()
        #expect(current.version == before + 1)
        #expect(current.set.isRevoked(jti: jti, sub: "alice", issuedAt: nil))
        // Committed: another connection sees it.
        #expect(try RevocationStore(database: fixture.openDatabase()).isRevoked(jti: jti, sub: nil, issuedAt: nil))

        let refresh = await fixture.perform(.refresh(refreshToken: try #require(string(login, "refresh_token"))))
        #expect(refresh.status == 401)
        #expect(string(refresh, "message") == "The session has been revoked.")
    }

    @Test func logoutWithoutRefreshTokenKeepsTheSessionsRefreshable() async throws {
        let fixture = try IssuerFixture()
        let login = await fixture.login()
        let reply = await fixture.perform(
            .logout(jti: "some-jti", subject: "alice", expiresAt: UnixTime.now() + 600, refreshToken: nil))
        #expect(reply.status == 200)
        #expect(fixture.mirror.current().set.isRevoked(jti: "some-jti", sub: nil, issuedAt: nil))
        #expect(await fixture.perform(.refresh(refreshToken: try #require(string(login, "refresh_token")))).status == 200)
    }

    @Test func logoutWithoutJTIIsAnInvalidRequest() async throws {
        let fixture = try IssuerFixture()
        let reply = await fixture.perform(.logout(jti: "", subject: "alice", expiresAt: UnixTime.now() + 60, refreshToken: nil))
        #expect(reply.status == 400)
        #expect(reply.error == "invalid_request")
        #expect(fixture.mirror.version == 0)
    }

    @Test func storeFailureIs500WithoutSQLDetails() async throws {
        let fixture = try IssuerFixture()
        try fixture.openDatabase().executeScript("DROP TABLE revocations")
        let reply = await fixture.perform(
            .logout(jti: "j", subject: "alice", expiresAt: UnixTime.now() + 60, refreshToken: nil))
        #expect(reply.status == 500)
        #expect(document(reply) == ["error": "store_unavailable", "message": "The account store is unavailable."])
        // Nothing was committed, so nothing was published.
        #expect(!fixture.mirror.current().set.isRevoked(jti: "j", sub: nil, issuedAt: nil))
    }
}
