import Testing
@testable import Config

/// All problems come back from one load, sorted top to bottom however they were found.
struct ProblemOrderTests {
    @Test func severalProblemsAreReportedTogetherInDocumentOrder() {
        let json = #"""
            {
              "log": { "level": "loud" },
              "listen": "127.0.0.1:99999",
              "upstreams": { "legacy": { "targets": ["127.0.0.1:9000"], "max_idel": 3 } },
              "issuers": { "main": { "keys": [ { "alg": "RS256", "secret_env": "K" } ], "iss": "https://a" } },
              "routes": [
                { "auth": { "issuers": ["mian"] }, "upstream": "legacy2", "path": "/a//b", "methods": ["get"] },
                { "upstream": "legacy", "auth": "public" },
                { "name": "x", "path": "/ok", "upstream": "legacy", "auth": "pubic" }
              ],
              "timeouts": { "keep_alive": "forever" }
            }
            """#
        let paths = Fixtures.problems(json).map(\.path)
        #expect(
            paths == [
                "log.level",
                "listen",
                "upstreams.legacy.max_idel",
                "issuers.main.keys[0].alg",
                "routes[0].auth.issuers[0]",
                "routes[0].upstream",
                "routes[0].path",
                "routes[0].methods[0]",
                "routes[1]",
                "routes[2].auth",
                "timeouts.keep_alive",
            ])
    }

    @Test func missingKeysSortAfterTheirSiblings() {
        let json = #"{ "routes": [ { "prefix": "/", "auth": "nope", "upstream": 1 } ], "listen": "127.0.0.1:1" }"#
        #expect(
            Fixtures.problems(json).map(\.description) == [
                #"routes[0].auth: unknown auth "nope" (use "public", "authenticated" or an object)"#,
                #"routes[0].upstream: expected a string, got a number (1)"#,
                "upstreams: missing required key",
            ])
    }

    @Test func errorsDescribeOneProblemPerLine() {
        let errors = ConfigErrors(problems: [
            ConfigProblem(path: "routes[3].upstream", message: #"no upstream named "legacy2" (known: legacy)"#),
            ConfigProblem(path: "$", message: "line 1, column 2: oops"),
        ])
        #expect(errors.description == "routes[3].upstream: no upstream named \"legacy2\" (known: legacy)\n$: line 1, column 2: oops")
    }
}
