import JWT
import KeyFetch
import Testing

@Suite struct RotationTests {
    @Test func newKidIsAcceptedAfterExactlyOneRefetch() throws {
        let old = try FetchFixture.key("old")
        let new = try FetchFixture.key("new")
        let idp = try RemoteIssuer(settings: FetchFixture.settings(cooldown: .milliseconds(100))) {
            $0.json(FetchFixture.jwksPath, try FetchFixture.jwks([old]))
        }
        defer { idp.stop() }
        #expect(FetchFixture.eventually { idp.events.count("keys_refreshed") == 1 })
        let oldToken = try FetchFixture.token(old, issuer: idp.issuer)
        #expect(throws: Never.self) { try idp.verify(oldToken).get() }

        idp.server.json(FetchFixture.jwksPath, try FetchFixture.jwks([old, new]))
        let newToken = try FetchFixture.token(new, issuer: idp.issuer)
        #expect(idp.verify(newToken).failure == .unknownKey)
        #expect(FetchFixture.eventually { (try? idp.verify(newToken).get()) != nil })
        #expect(idp.server.count(FetchFixture.jwksPath) == 2)
        #expect(idp.events.last("keys_refreshed")?["changed"] == "true")
        #expect(throws: Never.self) { try idp.verify(oldToken).get() }
    }

    @Test func aRemovedKeyStopsVerifyingEvenForCachedTokens() throws {
        let old = try FetchFixture.key("old")
        let new = try FetchFixture.key("new")
        let idp = try RemoteIssuer(settings: FetchFixture.settings(cooldown: .milliseconds(1))) {
            $0.json(FetchFixture.jwksPath, try FetchFixture.jwks([old]))
        }
        defer { idp.stop() }
        #expect(FetchFixture.eventually { idp.events.count("keys_refreshed") == 1 })
        let oldToken = try FetchFixture.token(old, issuer: idp.issuer)
        #expect(throws: Never.self) { try idp.verify(oldToken).get() }

        idp.server.json(FetchFixture.jwksPath, try FetchFixture.jwks([new]))
        idp.keySet.requestRefresh()
        #expect(FetchFixture.eventually { idp.events.count("keys_refreshed") == 2 })
        #expect(idp.verify(oldToken).failure == .unknownKey)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
