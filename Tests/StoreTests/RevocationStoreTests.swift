import Testing
@testable import Store

@Test func revokedJTIIsRefusedOthersPass() throws {
    let temporary = TemporaryDatabase()
    let store = RevocationStore(database: try temporary.open())
    try store.revoke(jti: "token-1", until: 1_000)
    #expect(try store.isRevoked(jti: "token-1", sub: "kyle", issuedAt: 10))
    #expect(try !store.isRevoked(jti: "token-2", sub: "kyle", issuedAt: 10))
    #expect(try !store.isRevoked(jti: nil, sub: nil, issuedAt: nil))
    #expect(throws: StoreError.invalid(field: "jti", value: "")) { try store.revoke(jti: "", until: 1) }
}

/// (iat, revoked) for a subject revoked with not-before 500: tokens issued before the cut-off are refused.
@Test(arguments: [(Int64?(100), true), (499, true), (500, false), (501, false), (nil, true)])
func subjectRevocationCoversTokensIssuedBeforeTheCutOff(_ issuedAt: Int64?, _ revoked: Bool) throws {
    let temporary = TemporaryDatabase()
    let store = RevocationStore(database: try temporary.open())
    try store.revoke(sub: "kyle", notBefore: 500, until: 1_400)
    #expect(try store.isRevoked(jti: "any", sub: "kyle", issuedAt: issuedAt) == revoked)
    #expect(try !store.isRevoked(jti: "any", sub: "admin", issuedAt: issuedAt))
    let (_, mirror) = try store.snapshot(now: 600)
    #expect(mirror.isRevoked(jti: "any", sub: "kyle", issuedAt: issuedAt) == revoked)
    #expect(!mirror.isRevoked(jti: "any", sub: "admin", issuedAt: issuedAt))
}

@Test func aLaterSubjectRevocationMovesTheCutOffOnlyForward() throws {
    let temporary = TemporaryDatabase()
    let store = RevocationStore(database: try temporary.open())
    try store.revoke(sub: "kyle", notBefore: 500, until: 1_400)
    try store.revoke(sub: "kyle", notBefore: 300, until: 1_200)
    #expect(try store.isRevoked(jti: nil, sub: "kyle", issuedAt: 400))
    try store.revoke(sub: "kyle", notBefore: 700, until: 1_600)
    #expect(try store.isRevoked(jti: nil, sub: "kyle", issuedAt: 600))
    #expect(try store.active(now: 0) == [Revocation(kind: .sub, value: "kyle", notBefore: 700, expiresAt: 1_600)])
}

@Test func changeCounterMovesOnEveryChange() throws {
    let temporary = TemporaryDatabase()
    let store = RevocationStore(database: try temporary.open())
    let start = try store.changeCounter()
    try store.revoke(jti: "a", until: 100)
    let afterInsert = try store.changeCounter()
    #expect(afterInsert > start)
    try store.revoke(jti: "a", until: 200)
    let afterUpdate = try store.changeCounter()
    #expect(afterUpdate > afterInsert)
    #expect(try store.changeCounter() == afterUpdate)
    try store.prune(now: 300)
    #expect(try store.changeCounter() > afterUpdate)
}

@Test func aSecondConnectionSeesTheOtherProcessesChange() throws {
    let temporary = TemporaryDatabase()
    let gateway = RevocationStore(database: try temporary.open())
    let cli = RevocationStore(database: try temporary.open())
    let (counter, mirror) = try gateway.snapshot(now: 0)
    #expect(mirror.isEmpty)
    try cli.revoke(jti: "stolen", until: 100)
    #expect(try gateway.changeCounter() != counter)
    #expect(try gateway.snapshot(now: 0).revocations.isRevoked(jti: "stolen", sub: nil, issuedAt: 1))
}

@Test func pruneRemovesOnlyExpiredRevocations() throws {
    let temporary = TemporaryDatabase()
    let store = RevocationStore(database: try temporary.open())
    try store.revoke(jti: "old", until: 100)
    try store.revoke(jti: "new", until: 300)
    try store.revoke(sub: "kyle", notBefore: 50, until: 150)
    #expect(try store.active(now: 120).map(\.value).sorted() == ["kyle", "new"])
    #expect(try store.prune(now: 200) == 2)
    #expect(try !store.isRevoked(jti: "old", sub: "kyle", issuedAt: 10))
    #expect(try store.isRevoked(jti: "new", sub: nil, issuedAt: nil))
    #expect(try store.active(now: 200) == [Revocation(kind: .jti, value: "new", notBefore: nil, expiresAt: 300)])
}
