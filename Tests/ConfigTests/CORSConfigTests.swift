import Testing
@testable import Config

struct CORSConfigTests {
    private func cors(_ json: String) throws -> CORSConfig {
        try #require(try Fixtures.decode(json).get().routes.first?.cors)
    }

    @Test func absentByDefault() throws {
        #expect(try Fixtures.decode(Fixtures.minimal).get().routes.first?.cors == nil)
    }

    @Test func defaultsForARouteWithoutMethods() throws {
        let cors = try cors(Fixtures.cors(#"{ "origins": ["https://app.example.com"] }"#))
        #expect(cors.origins == ["https://app.example.com"])
        #expect(!cors.allowsAnyOrigin)
        #expect(cors.methods == ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
        #expect(cors.headers == ["Authorization", "Content-Type"])
        #expect(cors.exposeHeaders == [])
        #expect(!cors.credentials)
        #expect(cors.maxAge == .seconds(600))
        #expect(cors.jsonPath == "routes[0].cors")
    }

    @Test func methodsDefaultToTheRoutesMethods() throws {
        let cors = try cors(Fixtures.cors(#"{ "origins": ["*"] }"#, methods: #"["GET", "PUT"]"#))
        #expect(cors.methods == ["GET", "PUT"])
        #expect(cors.allowsAnyOrigin)
        #expect(cors.origins == ["*"])
    }

    @Test func givenValues() throws {
        let cors = try cors(
            Fixtures.cors(
                #"""
                { "origins": ["https://app.example.com", "http://localhost:3000"], "methods": ["GET", "POST"],
                  "headers": ["Authorization", "X-Trace"], "expose_headers": ["ETag"], "credentials": true, "max_age": "0s" }
                """#))
        #expect(cors.origins == ["https://app.example.com", "http://localhost:3000"])
        #expect(cors.methods == ["GET", "POST"])
        #expect(cors.headers == ["Authorization", "X-Trace"])
        #expect(cors.exposeHeaders == ["ETag"])
        #expect(cors.credentials)
        #expect(cors.maxAge == .zero)
    }

    @Test func emptyHeaderListsAreAllowed() throws {
        let cors = try cors(Fixtures.cors(#"{ "origins": ["https://a.example"], "headers": [] }"#))
        #expect(cors.headers == [])
    }

    @Test(arguments: [
        "https://app.example.com", "http://localhost:3000", "http://127.0.0.1:8080", "https://[::1]:8443", "http://[fe80::1]",
        "https://a-b.example.co.uk:65535",
    ])
    func validOrigins(origin: String) throws {
        #expect(try cors(Fixtures.cors(#"{ "origins": ["\#(origin)"] }"#)).origins == [origin])
    }

    @Test(arguments: [
        (#""origins": []"#, [#"routes[0].cors.origins: at least one origin is required (use ["*"] to allow any)"#]),
        (#""origins": "*""#, [#"routes[0].cors.origins: expected a list, got a string ("*")"#]),
        (
            #""origins": ["https://a.example", "*"]"#,
            [#"routes[0].cors.origins[1]: "*" allows every origin, so it must be the only entry"#]
        ),
        (
            #""origins": ["https://a.example", "https://b.example", "https://a.example"]"#,
            [#"routes[0].cors.origins[2]: https://a.example is listed twice"#]
        ),
        (
            #""origins": ["https://a.example/"]"#,
            [#"routes[0].cors.origins[0]: "https://a.example/" must not have a path, query, fragment or trailing "/": an origin is scheme://host[:port]"#]
        ),
        (
            #""origins": ["https://a.example/app"]"#,
            [#"routes[0].cors.origins[0]: "https://a.example/app" must not have a path, query, fragment or trailing "/": an origin is scheme://host[:port]"#]
        ),
        (
            #""origins": ["https://a.example?x=1"]"#,
            [#"routes[0].cors.origins[0]: "https://a.example?x=1" must not have a path, query, fragment or trailing "/": an origin is scheme://host[:port]"#]
        ),
        (
            #""origins": ["https://App.Example.com"]"#,
            [#"routes[0].cors.origins[0]: browsers send origins in lowercase, so "https://App.Example.com" would never match: write "https://app.example.com""#]
        ),
        (
            #""origins": ["HTTPS://app.example.com"]"#,
            [#"routes[0].cors.origins[0]: browsers send origins in lowercase, so "HTTPS://app.example.com" would never match: write "https://app.example.com""#]
        ),
        (
            #""origins": ["https://user@a.example"]"#,
            [#"routes[0].cors.origins[0]: "https://user@a.example" must not contain user info: an origin is scheme://host[:port]"#]
        ),
        (#""origins": ["ftp://a.example"]"#, [#"routes[0].cors.origins[0]: "ftp://a.example": the scheme must be http or https"#]),
        (
            #""origins": ["a.example"]"#,
            [#"routes[0].cors.origins[0]: "a.example" is not an origin (expected scheme://host[:port], e.g. "https://app.example.com", or "*")"#]
        ),
        (
            #""origins": ["https://a.example:443"]"#,
            [#"routes[0].cors.origins[0]: browsers leave the default port out of the origin, so "https://a.example:443" would never match: remove ":443""#]
        ),
        (
            #""origins": ["http://a.example:80"]"#,
            [#"routes[0].cors.origins[0]: browsers leave the default port out of the origin, so "http://a.example:80" would never match: remove ":80""#]
        ),
        (#""origins": ["http://a.example:0"]"#, [#"routes[0].cors.origins[0]: "http://a.example:0" has an invalid host or port"#]),
        (#""origins": ["http://a.example:080"]"#, [#"routes[0].cors.origins[0]: "http://a.example:080" has an invalid host or port"#]),
        (#""origins": ["http://a.example:70000"]"#, [#"routes[0].cors.origins[0]: "http://a.example:70000" has an invalid host or port"#]),
        (#""origins": ["http://a:1:80"]"#, [#"routes[0].cors.origins[0]: "http://a:1:80" has an invalid host or port"#]),
        (#""origins": ["https://"]"#, [#"routes[0].cors.origins[0]: "https://" has an invalid host or port"#]),
        (#""origins": ["https://a_b.example"]"#, [#"routes[0].cors.origins[0]: "https://a_b.example" has an invalid host or port"#]),
        (#""origins": ["https://[::1"]"#, [#"routes[0].cors.origins[0]: "https://[::1" has an invalid host or port"#]),
        (#""origins": ["https://[1.2.3.4]"]"#, [#"routes[0].cors.origins[0]: "https://[1.2.3.4]" has an invalid host or port"#]),
        (
            #""origins": ["*"], "credentials": true"#,
            [#"routes[0].cors.credentials: cannot be true with origins ["*"]: credentials need a list of exact origins"#]
        ),
        (
            #""origins": ["*"], "methods": ["get"]"#,
            [#"routes[0].cors.methods[0]: method names are case-sensitive: use "GET""#]
        ),
        (
            #""origins": ["*"], "methods": []"#,
            [#"routes[0].cors.methods: must not be empty; omit methods to allow the default ones"#]
        ),
        (#""origins": ["*"], "methods": ["GET", "GET"]"#, [#"routes[0].cors.methods[1]: GET is listed twice"#]),
        (
            #""origins": ["*"], "headers": ["X Trace"]"#,
            [#"routes[0].cors.headers[0]: "X Trace" is not a valid header name"#]
        ),
        (
            #""origins": ["*"], "headers": ["Content-Type", "content-type"]"#,
            [#"routes[0].cors.headers[1]: content-type is listed twice (header names are case-insensitive)"#]
        ),
        (
            #""origins": ["*"], "expose_headers": ["ETag", "X:Y"]"#,
            [#"routes[0].cors.expose_headers[1]: "X:Y" is not a valid header name"#]
        ),
        (#""origins": ["*"], "max_age": "25h""#, [#"routes[0].cors.max_age: must be between 0s and 1d, got 1d1h"#]),
        (#""origins": ["*"], "credentials": "yes""#, [#"routes[0].cors.credentials: expected true or false, got a string ("yes")"#]),
        (
            #""origins": ["*"], "origin": ["*"]"#,
            [#"routes[0].cors.origin: unknown key; did you mean "origins"? (known: origins, methods, headers, expose_headers, credentials, max_age)"#]
        ),
        (#""methods": ["GET"]"#, [#"routes[0].cors.origins: missing required key"#]),
    ])
    func problems(members: String, expected: [String]) {
        let problems = Fixtures.problems(Fixtures.cors("{ \(members) }")).map(\.description)
        #expect(problems == expected, "\(members)")
    }

    @Test func aCORSValueMustBeAnObject() {
        let problems = Fixtures.problems(Fixtures.cors("true")).map(\.description)
        #expect(problems == [#"routes[0].cors: expected an object, got a boolean (true)"#])
    }
}
