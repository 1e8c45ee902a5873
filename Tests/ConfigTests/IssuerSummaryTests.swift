import Testing
@testable import Config

struct IssuerSummaryTests {
    @Test func builtInIssuerStoreAndCORS() throws {
        let json = IssuerConfigTests.example.replacing(
            #"{ "prefix": "/api/", "upstream": "legacy", "auth": { "issuers": ["own"], "any": ["reader"] } }"#,
            with: #"""
                { "prefix": "/api/", "upstream": "legacy", "auth": { "issuers": ["own"], "any": ["reader"] },
                  "cors": { "origins": ["https://a.example", "http://localhost:3000"] } }
                """#)
        let config = try Fixtures.decode(json).get()
        #expect(
            summary(config) == """
            listen    127.0.0.1:8080
            workers   auto
            realm     gateway
            limits    body 10MiB, head 64KiB, connections 20000 (256 per IP), rate none
            timeouts  head 10s, body idle 30s, keep-alive 1m, upstream connect 3s, upstream response 30s
            log       access stderr, level info
            store     /etc/gateway/gateway.db, poll 1s, prune 1h

            upstreams (1)
              legacy: 127.0.0.1:9000

            issuers (1)
              own (built-in): iss https://gateway.demo, aud [legacy-api, reports], ES256 gw-1 keys/es256-private.pem, access 5m, refresh 30d
                endpoints login /api/login, refresh /api/refresh, logout /api/logout, register /api/signup, jwks /api/jwks.json; register open, roles [reader, app:viewer]
                cors https://app.example.com with credentials

            routes (1, first match wins)
              /api/*  * -> legacy  auth token from own roles any(reader)  rate none  cors https://a.example, http://localhost:3000
            """)
    }

    @Test func defaultBuiltInIssuer() throws {
        let config = try Fixtures.decode(Fixtures.builtIn()).get()
        let lines = summary(config).split(separator: "\n").map(String.init)
        let start = try #require(lines.firstIndex(of: "issuers (1)"))
        #expect(
            Array(lines[start + 1...start + 2]) == [
                "  gateway (built-in): iss https://gateway.demo, no audience, HS256 from $GW_SECRET, access 15m, refresh 14d",
                "    endpoints login /auth/login, refresh /auth/refresh, logout /auth/logout, jwks /.well-known/jwks.json; register off",
            ])
    }
}
