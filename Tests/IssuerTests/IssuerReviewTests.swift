import Store
import Testing

@testable import Issuer

/// Regressions found by reviewing the issuer: a revocation of a subject must also end the sessions that
/// could otherwise mint fresh access tokens past it.
struct IssuerReviewTests {
    @Test func refreshAfterASubjectRevocationIsRefusedAndEndsTheSession() async throws {
        let fixture = try IssuerFixture()
        let refresh = try #require(string(await fixture.login(), "refresh_token"))
        // As `gateway revoke --sub alice` writes it: every token of alice issued before the cut-off.
        let now = UnixTime.now()
        try RevocationStore(database: try fixture.openDatabase()).revoke(sub: "alice", notBefore: now + 1, until: now + 3600)

        let refused = await fixture.perform(.refresh(refreshToken: refresh))
        #expect(refused.status == 401)
        #expect(refused.error == "invalid_refresh_token")
        // The session is over for good, not just while the revocation row lasts.
        let families = try fixture.openDatabase().row(
            "SELECT count(*) FROM refresh_families WHERE username = 'alice' AND revoked_at IS NULL") { $0.int64(0) }
        #expect(families == 0)
    }
}
