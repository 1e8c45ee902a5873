import Glibc
import JSON
import JWT
import Synchronization
import Testing

/// Remote (dynamic) keys as the verifier sees them; the fetcher itself is tested in KeyFetchTests.
@Suite struct KeySetTests {
    static let issuer = "https://remote.test"

    static func token(_ key: SigningKey, kid: String? = nil) throws -> String {
        let now = Int64(Clock.now)
        let header = #"{"alg":"ES256","kid":"\#(kid ?? key.kid ?? "")"}"#
        let payload = #"{"iss":"\#(issuer)","sub":"bob","exp":\#(now + 300)}"#
        var input: [UInt8] = []
        Base64URL.encode(Array(header.utf8), into: &input)
        input.append(UInt8(ascii: "."))
        Base64URL.encode(Array(payload.utf8), into: &input)
        return String(decoding: input, as: UTF8.self) + "." + Base64URL.encode(try key.sign(input))
    }

    static func verifier(_ set: KeySet, cache: Int = 100) -> TokenVerifier {
        TokenVerifier(issuers: IssuerSet([IssuerProfile(name: "r", issuer: issuer, keys: [], keySet: set)]), cacheCapacity: cache)
    }

    final class WakeCounter: Sendable {
        let count = Atomic<Int>(0)
        func wake() { count.wrappingAdd(1, ordering: .relaxed) }
    }

    @Test func noKeysYetIsKeysUnavailableAndAsksForKeys() throws {
        let set = KeySet()
        let wakes = WakeCounter()
        set.setWakeHandler { wakes.wake() }
        let key = try KeyGenerator.signingKey(.ES256, kid: "a")
        let verifier = Self.verifier(set)
        for _ in 0..<3 {
            #expect(verifier.verify(try Self.token(key), now: Clock.now).failureValue == .keysUnavailable)
        }
        #expect(set.isRefreshRequested)
        #expect(wakes.count.load(ordering: .relaxed) == 1)
    }

    @Test func unknownKidFailsAndRequestsOneRefresh() throws {
        let a = try KeyGenerator.signingKey(.ES256, kid: "a")
        let b = try KeyGenerator.signingKey(.ES256, kid: "b")
        let set = KeySet(keys: [try a.publicKey()])
        let wakes = WakeCounter()
        set.setWakeHandler { wakes.wake() }
        let verifier = Self.verifier(set)
        #expect(verifier.verify(try Self.token(b), now: Clock.now).failureValue == .unknownKey)
        #expect(verifier.verify(try Self.token(b), now: Clock.now).failureValue == .unknownKey)
        #expect(wakes.count.load(ordering: .relaxed) == 1)
        #expect(set.takeRefreshRequest())
        #expect(!set.takeRefreshRequest())

        set.replace([try a.publicKey(), try b.publicKey()])
        #expect(throws: Never.self) { try verifier.verify(try Self.token(b), now: Clock.now).get() }
        // A wrong signature under a known kid is not a rotation: no refetch for it.
        #expect(verifier.verify(try Self.token(b, kid: "a"), now: Clock.now).failureValue == .badSignature)
        #expect(!set.isRefreshRequested)
    }

    @Test func cachedTokensAreReverifiedWhenTheKeysChange() throws {
        let a = try KeyGenerator.signingKey(.ES256, kid: "a")
        let b = try KeyGenerator.signingKey(.ES256, kid: "b")
        let set = KeySet(keys: [try a.publicKey()])
        let verifier = Self.verifier(set)
        let token = try Self.token(a)
        #expect(throws: Never.self) { try verifier.verify(token, now: Clock.now).get() }
        #expect(throws: Never.self) { try verifier.verify(token, now: Clock.now).get() }
        #expect(verifier.cacheHits == 1)

        // Same key republished: still valid, but checked again rather than trusted from the cache.
        set.replace([try a.publicKey(), try b.publicKey()])
        #expect(throws: Never.self) { try verifier.verify(token, now: Clock.now).get() }
        #expect(verifier.cacheHits == 1)
        #expect(throws: Never.self) { try verifier.verify(token, now: Clock.now).get() }
        #expect(verifier.cacheHits == 2)

        // The signing key withdrawn: the cached verification must not outlive it.
        set.replace([try b.publicKey()])
        #expect(verifier.verify(token, now: Clock.now).failureValue == .unknownKey)
        set.replace([])
        #expect(verifier.verify(token, now: Clock.now).failureValue == .keysUnavailable)
    }

    @Test func keysAreSharedAcrossVerifiersOfSeveralThreads() async throws {
        let a = try KeyGenerator.signingKey(.ES256, kid: "a")
        let set = KeySet()
        let token = try Self.token(a)
        set.replace([try a.publicKey()])
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let verifier = Self.verifier(set)
                    return (try? verifier.verify(token, now: Clock.now).get()) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == [true, true, true, true])
    }

    @Test func staticIssuersIgnoreKeySetsOfOthers() throws {
        let a = try KeyGenerator.signingKey(.ES256, kid: "a")
        let profile = IssuerProfile(name: "s", issuer: Self.issuer, keys: [try a.publicKey()])
        let verifier = TokenVerifier(issuers: IssuerSet([profile]))
        #expect(throws: Never.self) { try verifier.verify(try Self.token(a), now: Clock.now).get() }
        #expect(verifier.verify(try Self.token(a, kid: "zz"), now: Clock.now).failureValue == .unknownKey)
    }
}

private enum Clock {
    static var now: Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec)
    }
}

extension Result {
    fileprivate var failureValue: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
