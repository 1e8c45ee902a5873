import EventLoop
import JWT
import KeyFetch
import Synchronization
import Testing

@Suite struct FloodTests {
    /// 1000 tokens with random kids over four workers (each with its own verifier, as gateway workers
    /// have) must not reach the provider more than once per cooldown.
    @Test func randomKidFloodCausesAtMostOneFetchPerCooldown() throws {
        let good = try FetchFixture.key("good")
        let forger = try FetchFixture.key("forger")
        let idp = try RemoteIssuer(settings: FetchFixture.settings(cooldown: .seconds(60))) {
            $0.json(FetchFixture.jwksPath, try FetchFixture.jwks([good]))
        }
        defer { idp.stop() }
        #expect(FetchFixture.eventually { idp.events.count("keys_refreshed") == 1 })

        let tokens = try (0..<1000).map { i in
            try FetchFixture.token(forger, issuer: idp.issuer, kid: "k\(i)-\(UInt64.random(in: 0...UInt64.max))")
        }
        let profile = idp.profile
        let unknown = Atomic<Int>(0)
        let threads = (0..<4).map { _ in WorkerThread() }
        for (w, thread) in threads.enumerated() {
            try thread.start(name: "flood-\(w)") {
                let verifier = TokenVerifier(issuers: IssuerSet([profile]))
                for token in tokens[(w * 250)..<((w + 1) * 250)] {
                    if case .failure(.unknownKey) = verifier.verify(token, now: FetchFixture.now) {
                        unknown.wrappingAdd(1, ordering: .relaxed)
                    }
                }
            }
        }
        for thread in threads { thread.join() }
        #expect(unknown.load(ordering: .relaxed) == 1000)
        // The fetcher saw the requests and held them for the cooldown instead of fetching.
        #expect(FetchFixture.eventually { idp.events.count("keys_refresh_throttled") == 1 })
        #expect(idp.server.count(FetchFixture.jwksPath) == 1)
        #expect(idp.keySet.isRefreshRequested)
        #expect(throws: Never.self) { try idp.verify(FetchFixture.token(good, issuer: idp.issuer)).get() }
    }
}
