import Testing
@testable import Store

func makeRefresh(_ temporary: TemporaryDatabase) throws -> RefreshTokenStore {
    let database = try temporary.open()
    try UserStore(database: database, hasher: fastHasher).add(username: "kyle", password: "kyle's long password", roles: [], now: 0)
    return RefreshTokenStore(database: database)
}

let day = Duration.seconds(86_400)

@Test func rotationSpendsTheOldTokenAndIssuesANewOne() throws {
    let temporary = TemporaryDatabase()
    let store = try makeRefresh(temporary)
    let first = try store.issue(username: "kyle", now: 100, lifetime: day)
    #expect(first.token.utf8.count == 43)
    #expect(first.expiresAt == 100 + 86_400)
    guard case .rotated(let second) = try store.rotate(first.token, now: 200, lifetime: day) else {
        Issue.record("a fresh token must rotate")
        return
    }
    #expect(second.familyID == first.familyID)
    #expect(second.username == "kyle")
    #expect(second.token != first.token)
    #expect(second.expiresAt == 200 + 86_400)
    guard case .rotated = try store.rotate(second.token, now: 300, lifetime: day) else {
        Issue.record("the successor must rotate")
        return
    }
}

@Test func onlyTheTokensDigestIsStored() throws {
    let temporary = TemporaryDatabase()
    let store = try makeRefresh(temporary)
    let issued = try store.issue(username: "kyle", now: 100, lifetime: day)
    let stored = try store.database.rows("SELECT token_hash FROM refresh_tokens") { $0.text(0) }
    #expect(stored == [try Crypto.sha256Hex(issued.token)])
    #expect(stored.first?.utf8.count == 64)
}

@Test func presentingASpentTokenRevokesTheWholeFamily() throws {
    let temporary = TemporaryDatabase()
    let store = try makeRefresh(temporary)
    let first = try store.issue(username: "kyle", now: 100, lifetime: day)
    let other = try store.issue(username: "kyle", now: 100, lifetime: day)
    guard case .rotated(let second) = try store.rotate(first.token, now: 200, lifetime: day) else {
        Issue.record("a fresh token must rotate")
        return
    }
    #expect(try store.rotate(first.token, now: 300, lifetime: day) == .reuseDetected(familyID: first.familyID, username: "kyle"))
    // The newest token of the family, perhaps the thief's, is refused too.
    #expect(try store.rotate(second.token, now: 301, lifetime: day) == .revoked)
    #expect(try store.rotate(first.token, now: 302, lifetime: day) == .revoked)
    // Another family (another device) is untouched.
    guard case .rotated = try store.rotate(other.token, now: 303, lifetime: day) else {
        Issue.record("another family must still rotate")
        return
    }
}

@Test func expiredAndUnknownTokensAreRefused() throws {
    let temporary = TemporaryDatabase()
    let store = try makeRefresh(temporary)
    let issued = try store.issue(username: "kyle", now: 100, lifetime: .seconds(50))
    #expect(try store.rotate(issued.token, now: 150, lifetime: day) == .expired)
    #expect(try store.rotate(Base64.encode(Array(repeating: 7, count: 32), .url), now: 100, lifetime: day) == .unknown)
    #expect(try store.rotate("not a token", now: 100, lifetime: day) == .unknown)
    #expect(try store.rotate("", now: 100, lifetime: day) == .unknown)
}

@Test func logoutRevokesTheFamily() throws {
    let temporary = TemporaryDatabase()
    let store = try makeRefresh(temporary)
    let issued = try store.issue(username: "kyle", now: 100, lifetime: day)
    #expect(try store.revokeFamily(of: issued.token, now: 110))
    #expect(try store.rotate(issued.token, now: 120, lifetime: day) == .revoked)
    #expect(try !store.revokeFamily(of: "unknown", now: 110))
}

@Test func disablingTheUserRevokesTheirFamilies() throws {
    let temporary = TemporaryDatabase()
    let store = try makeRefresh(temporary)
    let issued = try store.issue(username: "kyle", now: 100, lifetime: day)
    try UserStore(database: store.database, hasher: fastHasher).disable(username: "kyle", now: 110)
    #expect(try store.rotate(issued.token, now: 120, lifetime: day) == .revoked)
}

@Test func issuingForAnUnknownUserFails() throws {
    let temporary = TemporaryDatabase()
    let store = try makeRefresh(temporary)
    #expect(throws: StoreError.self) { try store.issue(username: "nobody", now: 100, lifetime: day) }
}

@Test func pruneDeletesExpiredTokensAndEmptyFamilies() throws {
    let temporary = TemporaryDatabase()
    let store = try makeRefresh(temporary)
    let short = try store.issue(username: "kyle", now: 100, lifetime: .seconds(10))
    let long = try store.issue(username: "kyle", now: 100, lifetime: day)
    #expect(try store.prune(now: 110) == 1)
    #expect(try store.rotate(short.token, now: 111, lifetime: day) == .unknown)
    #expect(try store.database.rows("SELECT family_id FROM refresh_families") { $0.text(0) } == [long.familyID])
    guard case .rotated = try store.rotate(long.token, now: 111, lifetime: day) else {
        Issue.record("an unexpired token must survive pruning")
        return
    }
}

@Test func aSubjectRevocationEndsOnlyTheSessionsBegunBeforeItsCutoff() throws {
    let temporary = TemporaryDatabase()
    let store = try makeRefresh(temporary)
    let before = try store.issue(username: "kyle", now: 100, lifetime: day)
    let after = try store.issue(username: "kyle", now: 300, lifetime: day)
    #expect(try store.revokeFamilies(username: "kyle", createdBefore: 200, now: 250) == 1)
    #expect(try store.rotate(before.token, now: 400, lifetime: day) == .revoked)
    guard case .rotated = try store.rotate(after.token, now: 400, lifetime: day) else {
        Issue.record("a session begun after the cut-off must keep working")
        return
    }
    #expect(try store.revokeFamilies(username: "nobody", createdBefore: 1_000, now: 400) == 0)
}
