import Testing
@testable import Config

/// Checks between the built-in issuer and the other sections.
struct IssuerCrossCheckTests {
    /// A config with a store, an HS256 built-in issuer with `issuerMembers`, the given `issuers` and routes.
    private static func config(
        iss: String = "https://gateway.demo", issuerMembers: String = "", issuers: String = "{}", routes: String
    ) -> String {
        let extra = issuerMembers.isEmpty ? "" : ", " + issuerMembers
        return #"""
            {
              "listen": "127.0.0.1:8080",
              "upstreams": { "legacy": ["127.0.0.1:9000"] },
              "issuers": \#(issuers),
              "store": { "path": "gateway.db" },
              "issuer": { "iss": "\#(iss)", "key": { "alg": "HS256", "secret_env": "GW" }\#(extra) },
              "routes": [ \#(routes) ]
            }
            """#
    }

    private static let main = #"{ "main": { "iss": "https://auth.example.com", "keys": [ { "alg": "HS256", "secret_env": "KEY" } ] } }"#

    @Test func issuerNeedsAStore() {
        let problems = Fixtures.problems(Fixtures.builtIn(store: false)).map(\.description)
        #expect(problems == [#"issuer: the issuer keeps users and refresh tokens in the store: add "store": {"path": ...}"#])
    }

    @Test func aStoreAloneIsValid() throws {
        let config = try Fixtures.decode(Fixtures.top(#""store": { "path": "g.db" }"#)).get()
        #expect(config.store != nil && config.issuer == nil)
    }

    @Test func tokenRoutesMayRelyOnTheBuiltInIssuerAlone() throws {
        let json = Self.config(routes: #"{ "prefix": "/", "upstream": "legacy", "auth": "authenticated" }"#)
        let config = try Fixtures.decode(json).get()
        #expect(config.issuers.isEmpty)
        #expect(config.routes.first?.auth.rule.requiresToken == true)
    }

    @Test func routesMayNameTheBuiltInIssuer() throws {
        let json = Self.config(
            issuerMembers: #""name": "own""#, issuers: Self.main,
            routes: #"""
                { "prefix": "/a/", "upstream": "legacy", "auth": { "issuers": ["own", "main"] } },
                { "prefix": "/b/", "upstream": "legacy", "auth": { "issuers": ["main"], "methods": { "POST": { "issuers": ["own"] } } } }
                """#)
        let config = try Fixtures.decode(json).get()
        #expect(config.routes.count == 2)
    }

    @Test func unknownIssuerNamesListTheBuiltInOne() {
        let json = Self.config(issuers: Self.main, routes: #"{ "prefix": "/", "upstream": "legacy", "auth": { "issuers": ["gatway"] } }"#)
        #expect(
            Fixtures.problems(json).map(\.description) == [
                #"routes[0].auth.issuers[0]: no issuer named "gatway"; did you mean "gateway"? (known: main, gateway)"#
            ])
    }

    @Test func theNameMustDifferFromTheIssuersKeys() {
        let issuers = #"{ "gateway": { "iss": "https://auth.example.com", "keys": [ { "alg": "HS256", "secret_env": "KEY" } ] } }"#
        let json = Self.config(issuers: issuers, routes: #"{ "prefix": "/", "upstream": "legacy", "auth": "public" }"#)
        #expect(
            Fixtures.problems(json).map(\.description) == [
                #"issuer.name: "gateway" is also the name of issuers.gateway; set issuer.name to another name"#
            ])
    }

    @Test func theIssMustDifferFromTheIssuers() {
        let json = Self.config(
            iss: "https://auth.example.com", issuerMembers: #""name": "own""#, issuers: Self.main,
            routes: #"{ "prefix": "/", "upstream": "legacy", "auth": "public" }"#)
        #expect(
            Fixtures.problems(json).map(\.description) == [#"issuer.iss: iss "https://auth.example.com" is also used by issuer main"#])
    }

    /// (issuer members, route, expected problems): exact routes on a served endpoint path are unreachable.
    @Test(arguments: [
        (
            "", #"{ "path": "/auth/login", "upstream": "legacy", "auth": "public" }"#,
            [#"routes[0].path: /auth/login is served by the issuer (issuer.endpoints.login), which is matched before routes"#]
        ),
        (
            "", #"{ "path": "/.well-known/jwks.json", "methods": ["GET"], "upstream": "legacy", "auth": "public" }"#,
            [#"routes[0].path: /.well-known/jwks.json is served by the issuer (issuer.endpoints.jwks), which is matched before routes"#]
        ),
        (
            #""endpoints": { "logout": "/signout" }"#, #"{ "path": "/signout", "upstream": "legacy", "auth": "public" }"#,
            [#"routes[0].path: /signout is served by the issuer (issuer.endpoints.logout), which is matched before routes"#]
        ),
        (
            #""register": { "enabled": true }"#, #"{ "path": "/auth/register", "upstream": "legacy", "auth": "public" }"#,
            [#"routes[0].path: /auth/register is served by the issuer (issuer.endpoints.register), which is matched before routes"#]
        ),
        ("", #"{ "path": "/auth/register", "upstream": "legacy", "auth": "public" }"#, []),
        ("", #"{ "prefix": "/auth/login", "upstream": "legacy", "auth": "public" }"#, []),
        (#""endpoints": { "login": "/signin" }"#, #"{ "path": "/auth/login", "upstream": "legacy", "auth": "public" }"#, []),
    ])
    func routesOnEndpointPaths(issuerMembers: String, route: String, expected: [String]) {
        let problems = Fixtures.problems(Self.config(issuerMembers: issuerMembers, routes: route)).map(\.description)
        #expect(problems == expected, "\(route)")
    }
}
