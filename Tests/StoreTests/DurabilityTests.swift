import Testing
@testable import Store

@Test func revocationsAndSpentTokensSurviveClosingTheDatabase() throws {
    let temporary = TemporaryDatabase()
    let spent: RefreshToken
    let successor: RefreshToken
    do {
        let database = try temporary.open()
        try UserStore(database: database, hasher: fastHasher).add(username: "kyle", password: "kyle's long password", roles: ["reader"], now: 0)
        let refresh = RefreshTokenStore(database: database)
        spent = try refresh.issue(username: "kyle", now: 10, lifetime: day)
        guard case .rotated(let next) = try refresh.rotate(spent.token, now: 20, lifetime: day) else {
            Issue.record("a fresh token must rotate")
            return
        }
        successor = next
        let revocations = RevocationStore(database: database)
        try revocations.revoke(jti: "logged-out", until: 1_000)
        try revocations.revoke(sub: "kyle", notBefore: 30, until: 1_000)
    }
    let reopened = try temporary.open()
    let revocations = RevocationStore(database: reopened)
    #expect(try revocations.isRevoked(jti: "logged-out", sub: nil, issuedAt: 40))
    #expect(try revocations.isRevoked(jti: nil, sub: "kyle", issuedAt: 25))
    let refresh = RefreshTokenStore(database: reopened)
    #expect(try refresh.rotate(spent.token, now: 50, lifetime: day) == .reuseDetected(familyID: spent.familyID, username: "kyle"))
    #expect(try refresh.rotate(successor.token, now: 51, lifetime: day) == .revoked)
    #expect(try UserStore(database: reopened, hasher: fastHasher).authenticate(username: "kyle", password: "kyle's long password")?.roles == ["reader"])
}
