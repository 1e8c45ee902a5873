import JSON
import Testing

@testable import JWT

struct TokenCacheTests {
    func token(_ sub: String, exp: Int64 = Fixtures.now + 300) throws -> String {
        try TokenSigner.sign(claims: Fixtures.claims(exp: exp, extra: [("sub", .string(sub))]), key: try Fixtures.hmacSigner())
    }

    @Test func hitSkipsVerificationButRechecksTime() throws {
        let verifier = Fixtures.verifier(Fixtures.profile(keys: [try Fixtures.hmacKey()]))
        let t = try token("alice", exp: Fixtures.now + 60)
        #expect(try verifier.verify(t, now: Fixtures.now).get().subject == "alice")
        #expect(verifier.cacheMisses == 1 && verifier.cacheHits == 0 && verifier.cachedTokens == 1)
        #expect(try verifier.verify(t, now: Fixtures.now + 10).get().subject == "alice")
        #expect(verifier.cacheHits == 1)
        // After exp (plus leeway) the cached entry answers "expired" and is dropped.
        #expect(verifier.verify(t, now: Fixtures.now + 90).error == .expired)
        #expect(verifier.cachedTokens == 0)
        #expect(verifier.verify(t, now: Fixtures.now + 90).error == .expired)
    }

    @Test func failuresAreNotCached() throws {
        let verifier = Fixtures.verifier(Fixtures.profile(keys: [try Fixtures.hmacKey()]))
        let bad = try TokenSigner.sign(claims: Fixtures.claims(), key: try Fixtures.hmacSigner(Fixtures.otherSecret))
        #expect(verifier.verify(bad, now: Fixtures.now).error == .badSignature)
        #expect(verifier.verify(bad, now: Fixtures.now).error == .badSignature)
        #expect(verifier.cachedTokens == 0 && verifier.cacheHits == 0)
    }

    @Test func aDifferentByteIsADifferentToken() throws {
        let verifier = Fixtures.verifier(Fixtures.profile(keys: [try Fixtures.hmacKey()]))
        let t = try token("alice")
        _ = verifier.verify(t, now: Fixtures.now)
        let flipped = String(t.dropLast()) + (t.hasSuffix("A") ? "B" : "A")
        #expect(verifier.verify(flipped, now: Fixtures.now).error != nil)
        #expect(verifier.cacheHits == 0)
    }

    @Test func evictsLeastRecentlyUsed() throws {
        let verifier = Fixtures.verifier(Fixtures.profile(keys: [try Fixtures.hmacKey()]), cacheCapacity: 2)
        let (a, b, c) = (try token("a"), try token("b"), try token("c"))
        for t in [a, b, a, c] { _ = verifier.verify(t, now: Fixtures.now) }
        #expect(verifier.cachedTokens == 2 && verifier.cacheHits == 1)
        _ = verifier.verify(a, now: Fixtures.now)
        #expect(verifier.cacheHits == 2)
        _ = verifier.verify(b, now: Fixtures.now)  // b was evicted when c arrived
        #expect(verifier.cacheHits == 2 && verifier.cachedTokens == 2)
    }

    @Test func zeroCapacityDisablesCaching() throws {
        let verifier = Fixtures.verifier(Fixtures.profile(keys: [try Fixtures.hmacKey()]), cacheCapacity: 0)
        let t = try token("a")
        #expect(throws: Never.self) { try verifier.verify(t, now: Fixtures.now).get() }
        #expect(throws: Never.self) { try verifier.verify(t, now: Fixtures.now).get() }
        #expect(verifier.cacheHits == 0 && verifier.cachedTokens == 0)
    }

    /// Two tokens forced onto one hash key: the bytes decide, and the newer replaces the older.
    @Test func collisionsAreResolvedByComparingBytes() {
        let cache = TokenCache(capacity: 4)
        let first = Array("token-one".utf8)
        let second = Array("token-two".utf8)
        let value = VerifiedToken(issuerIndex: 0, claims: JSONObject(), subject: "one")
        first.withUnsafeBytes { cache.insert($0, key: 7, value: value) }
        #expect(second.withUnsafeBytes { cache.lookup($0, key: 7) } == nil)
        #expect(first.withUnsafeBytes { cache.lookup($0, key: 7) }?.subject == "one")
        second.withUnsafeBytes { cache.insert($0, key: 7, value: VerifiedToken(issuerIndex: 0, claims: JSONObject(), subject: "two")) }
        #expect(first.withUnsafeBytes { cache.lookup($0, key: 7) } == nil)
        #expect(second.withUnsafeBytes { cache.lookup($0, key: 7) }?.subject == "two")
        #expect(cache.count == 1)
    }

    @Test func slotsAreReusedAfterRemoval() {
        let cache = TokenCache(capacity: 2)
        let tokens = (0..<6).map { Array("t\($0)".utf8) }
        for (i, t) in tokens.enumerated() {
            t.withUnsafeBytes { cache.insert($0, key: i, value: VerifiedToken(issuerIndex: i, claims: JSONObject())) }
            if i % 2 == 0 { cache.remove(key: i) }
        }
        #expect(cache.count == 2)
        #expect(tokens[5].withUnsafeBytes { cache.lookup($0, key: 5) }?.issuerIndex == 5)
        #expect(tokens[3].withUnsafeBytes { cache.lookup($0, key: 3) }?.issuerIndex == 3)
    }
}
