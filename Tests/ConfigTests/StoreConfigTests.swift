import Testing
@testable import Config

struct StoreConfigTests {
    @Test func absentByDefault() throws {
        let config = try Fixtures.decode(Fixtures.minimal).get()
        #expect(config.store == nil)
        #expect(config.issuer == nil)
    }

    @Test func defaultsAndRelativePath() throws {
        let store = try #require(try Fixtures.decode(Fixtures.top(#""store": { "path": "data/gateway.db" }"#)).get().store)
        #expect(store.path.original == "data/gateway.db")
        #expect(store.path.resolved == "/etc/gateway/data/gateway.db")
        #expect(store.pollInterval == .seconds(1))
        #expect(store.pruneInterval == .seconds(3_600))
        #expect(store.jsonPath == "store")
    }

    @Test func givenValues() throws {
        let json = Fixtures.top(#""store": { "path": "/var/lib/gw.db", "poll_interval": "250ms", "prune_interval": "7d" }"#)
        let store = try #require(try Fixtures.decode(json).get().store)
        #expect(store.path.resolved == "/var/lib/gw.db")
        #expect(store.pollInterval == .milliseconds(250))
        #expect(store.pruneInterval == .seconds(7 * 86_400))
    }

    @Test(arguments: [
        (#"{}"#, [#"store.path: missing required key"#]),
        (#"{ "path": "" }"#, [#"store.path: file path must not be empty"#]),
        (#"{ "path": 3 }"#, [#"store.path: expected a file path, got a number (3)"#]),
        (#"{ "path": "g.db", "poll_interval": "50ms" }"#, [#"store.poll_interval: must be between 100ms and 10s, got 50ms"#]),
        (#"{ "path": "g.db", "poll_interval": "11s" }"#, [#"store.poll_interval: must be between 100ms and 10s, got 11s"#]),
        (#"{ "path": "g.db", "prune_interval": "30s" }"#, [#"store.prune_interval: must be between 1m and 7d, got 30s"#]),
        (#"{ "path": "g.db", "prune_interval": "8d" }"#, [#"store.prune_interval: must be between 1m and 7d, got 8d"#]),
        (
            #"{ "path": "g.db", "pol_interval": "1s" }"#,
            [#"store.pol_interval: unknown key; did you mean "poll_interval"? (known: path, poll_interval, prune_interval)"#]
        ),
        (#""g.db""#, [#"store: expected an object, got a string ("g.db")"#]),
    ])
    func problems(store: String, expected: [String]) {
        let problems = Fixtures.problems(Fixtures.top(#""store": \#(store)"#)).map(\.description)
        #expect(problems == expected, "\(store)")
    }
}
