import JWT
import Testing

@testable import Issuer

struct RefreshTests {
    @Test func refreshRotatesAndIssuesAFreshAccessToken() async throws {
        let fixture = try IssuerFixture()
        let login = await fixture.login()
        let first = try #require(string(login, "refresh_token"))
        let refreshed = await fixture.perform(.refresh(refreshToken: first))
        #expect(refreshed.status == 200)
        let second = try #require(string(refreshed, "refresh_token"))
        #expect(second != first)
        #expect(body(refreshed)["expires_in"] == 600)
        let token = try #require(string(refreshed, "access_token"))
        #expect(token != string(login, "access_token"))
        let verified = try fixture.verifier().verify(token, now: UnixTime.now()).get()
        #expect(verified.subject == "alice")
        #expect(verified.claims["roles"] == ["admin", "reader"])
        // The successor rotates in turn.
        #expect(await fixture.perform(.refresh(refreshToken: second)).status == 200)
    }

    @Test func reusingASpentTokenRevokesTheFamily() async throws {
        let fixture = try IssuerFixture()
        let first = try #require(string(await fixture.login(), "refresh_token"))
        let second = try #require(string(await fixture.perform(.refresh(refreshToken: first)), "refresh_token"))

        let reuse = await fixture.perform(.refresh(refreshToken: first))
        #expect(reuse.status == 401)
        #expect(reuse.error == "invalid_refresh_token")
        #expect(string(reuse, "message") == "The refresh token was already used; the session has been revoked.")
        // The newest token, perhaps the thief's, is dead too.
        let after = await fixture.perform(.refresh(refreshToken: second))
        #expect(after.status == 401)
        #expect(string(after, "message") == "The session has been revoked.")
    }

    @Test(arguments: [
        "not-a-token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", String(repeating: "x", count: 256),
    ])
    func unknownTokensAreRefused(token: String) async throws {
        let fixture = try IssuerFixture()
        let reply = await fixture.perform(.refresh(refreshToken: token))
        #expect(reply.status == 401)
        #expect(document(reply) == ["error": "invalid_refresh_token", "message": "The refresh token is not valid."])
    }
}
