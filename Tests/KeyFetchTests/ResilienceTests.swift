import JWT
import KeyFetch
import Testing

@Suite struct ResilienceTests {
    @Test func providerDownKeepsTheOldKeys() throws {
        let key = try FetchFixture.key("k1")
        let idp = try RemoteIssuer(settings: FetchFixture.settings(cooldown: .milliseconds(1))) {
            $0.json(FetchFixture.jwksPath, try FetchFixture.jwks([key]))
        }
        defer { idp.stop() }
        #expect(FetchFixture.eventually { idp.events.count("keys_refreshed") == 1 })
        let version = idp.keySet.version

        idp.server.stop()
        idp.keySet.requestRefresh()
        #expect(FetchFixture.eventually { idp.events.count("keys_refresh_failed") >= 1 })
        #expect(idp.events.last("keys_refresh_failed")?["reason"]?.contains("connect") == true)
        #expect(idp.keySet.version == version)
        #expect(throws: Never.self) { try idp.verify(FetchFixture.token(key, issuer: idp.issuer)).get() }
    }

    static let badReplies: [String: JWKSServer.Reply] = [
        "not JSON": .body(status: 200, headers: [], body: Array("<html>oops</html>".utf8), chunked: false),
        "no keys member": .body(status: 200, headers: [], body: Array(#"{"kids":[]}"#.utf8), chunked: false),
        "empty key list": .body(status: 200, headers: [], body: Array(#"{"keys":[]}"#.utf8), chunked: false),
        "key without material": .body(status: 200, headers: [], body: Array(#"{"keys":[{"kty":"EC","crv":"P-256","alg":"ES256"}]}"#.utf8), chunked: false),
        "server error": .body(status: 500, headers: [], body: Array("{}".utf8), chunked: false),
        "not found": .body(status: 404, headers: [], body: [], chunked: false),
        "garbage bytes": .raw(Array("\u{1}\u{2}garbage\r\n\r\n".utf8)),
        "truncated body": .raw(Array("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"keys\":[".utf8)),
        "bad chunk": .raw(Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n".utf8)),
        "over 1 MiB": .body(status: 200, headers: [], body: [UInt8](repeating: 0x20, count: (1 << 20) + 1), chunked: false),
        "over 1 MiB chunked": .body(status: 200, headers: [], body: [UInt8](repeating: 0x20, count: (1 << 20) + 1), chunked: true),
        "two lengths": .raw(Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}".utf8)),
    ]

    @Test(arguments: badReplies.keys.sorted())
    func aBadAnswerKeepsTheOldKeys(_ name: String) throws {
        let reply = try #require(Self.badReplies[name])
        let key = try FetchFixture.key("k1")
        let idp = try RemoteIssuer(settings: FetchFixture.settings(cooldown: .milliseconds(1))) {
            $0.json(FetchFixture.jwksPath, try FetchFixture.jwks([key]))
        }
        defer { idp.stop() }
        #expect(FetchFixture.eventually { idp.events.count("keys_refreshed") == 1 })
        let version = idp.keySet.version

        idp.server.reply(FetchFixture.jwksPath, reply)
        idp.keySet.requestRefresh()
        #expect(FetchFixture.eventually(within: 10) { idp.events.count("keys_refresh_failed") >= 1 }, "\(name)")
        #expect(idp.keySet.version == version)
        #expect(throws: Never.self) { try idp.verify(FetchFixture.token(key, issuer: idp.issuer)).get() }
    }

    @Test(arguments: ["content-length", "chunked", "until-close"])
    func everyFramingDeliversTheKeys(_ framing: String) throws {
        let key = try FetchFixture.key("k1")
        let body = try FetchFixture.jwks([key])
        let idp = try RemoteIssuer(settings: FetchFixture.settings()) { server in
            switch framing {
            case "chunked": server.json(FetchFixture.jwksPath, body, chunked: true)
            case "until-close": server.reply(FetchFixture.jwksPath, .raw(Array("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".utf8) + body))
            default: server.json(FetchFixture.jwksPath, body)
            }
        }
        defer { idp.stop() }
        #expect(FetchFixture.eventually { idp.events.count("keys_refreshed") == 1 })
        #expect(throws: Never.self) { try idp.verify(FetchFixture.token(key, issuer: idp.issuer)).get() }
    }

    @Test func staleKeysServeUntilMaxStaleThenExpire() throws {
        let key = try FetchFixture.key("k1")
        let settings = FetchFixture.settings(
            refresh: .milliseconds(300), minRefresh: .milliseconds(300), maxRefresh: .milliseconds(300),
            cooldown: .milliseconds(50), maxStale: .milliseconds(400))
        let idp = try RemoteIssuer(settings: settings) { $0.json(FetchFixture.jwksPath, try FetchFixture.jwks([key])) }
        defer { idp.stop() }
        #expect(FetchFixture.eventually { idp.events.count("keys_refreshed") == 1 })
        idp.server.stop()
        #expect(FetchFixture.eventually { idp.events.count("keys_stale") == 1 })
        #expect(idp.events.count("keys_expired") == 0 || idp.events.names.firstIndex(of: "keys_stale") ?? 0 < idp.events.names.firstIndex(of: "keys_expired") ?? 0)
        #expect(FetchFixture.eventually { idp.events.count("keys_expired") == 1 })
        #expect(idp.verify(try FetchFixture.token(key, issuer: idp.issuer)).failure == .keysUnavailable)
    }

    /// The second fetch comes at 90% of the lifetime: max-age clamped into [min_refresh, max_refresh],
    /// or the default refresh without one. Each row expects a 1 s lifetime.
    static let lifetimes: [(String, [(String, String)], JWKSSettings)] = [
        ("max-age inside the bounds", [("Cache-Control", "public, max-age=1")],
         FetchFixture.settings(minRefresh: .milliseconds(100), maxRefresh: .seconds(10))),
        ("max-age above max_refresh", [("Cache-Control", "max-age=3600")],
         FetchFixture.settings(minRefresh: .milliseconds(100), maxRefresh: .seconds(1))),
        ("max-age below min_refresh", [("Cache-Control", "max-age=0")],
         FetchFixture.settings(minRefresh: .seconds(1), maxRefresh: .seconds(10))),
        ("no max-age", [], FetchFixture.settings(refresh: .seconds(1), minRefresh: .milliseconds(100))),
    ]

    @Test(arguments: lifetimes)
    func maxAgeIsHonouredWithinBounds(_ name: String, _ headers: [(String, String)], _ settings: JWKSSettings) throws {
        let key = try FetchFixture.key("k1")
        let idp = try RemoteIssuer(settings: settings) {
            $0.json(FetchFixture.jwksPath, try FetchFixture.jwks([key]), headers: headers)
        }
        defer { idp.stop() }
        #expect(FetchFixture.eventually { idp.events.count("keys_refreshed") >= 2 }, "\(name)")
        let times = idp.server.times(FetchFixture.jwksPath)
        if times.count >= 2 {
            let gap = Double(times[1] - times[0]) / 1e9
            // Not before 90% of the 1 s lifetime; the upper bound only separates 1 s from the other candidates
            // (10 s, an hour) and leaves room for a loaded machine.
            #expect(gap > 0.8 && gap < 5, "\(name): refetched after \(gap) s")
        }
        #expect(idp.events.last("keys_refreshed")?["lifetime_s"] == "1", "\(name)")
        #expect(idp.events.last("keys_refreshed")?["changed"] == "false", "\(name)")
    }
}
