import Testing
@testable import Config

struct SummaryTests {
    @Test func fullConfig() throws {
        let config = try Fixtures.decode(Fixtures.full).get()
        #expect(
            summary(config) == """
            listen    0.0.0.0:8080, [::1]:8081
            workers   4
            realm     example
            limits    body 1MiB, head 32KiB, connections 1000 (50 per IP), rate 100/s burst 200
            timeouts  head 5s, body idle 15s, keep-alive 1m, upstream connect 500ms, upstream response 1m30s
            log       access /etc/gateway/logs/access.log, level notice

            upstreams (2)
              billing: [::1]:9100
              legacy: 127.0.0.1:9000, 127.0.0.1:9001

            issuers (2)
              internal: iss https://auth.example.com, aud [gateway, legacy], 2 keys (HS256 k1 from $GATEWAY_HS_KEY, RS256 k2 keys/rs.pub.pem)
              partner: iss https://partner.example.org, any audience, 1 key (JWKS partner/jwks.json)

            routes (4, first match wins)
              /health                GET -> legacy  auth public  rate off  [health]
              api.example.com/api/*  GET,POST,DELETE -> legacy  auth token from internal roles any(reader,writer); POST,DELETE: token from internal roles all(writer,auditor)  rate 6000/min burst 50, 10/s burst 10 per subject
              /billing/%2Fraw/*      * -> billing  auth token scopes all(billing:read)  rate 100/s burst 200 (default)  [billing]
              /admin/*               * -> legacy  auth token roles any(admin)  rate 100/s burst 200 (default)
            """)
    }

    @Test func minimalConfig() throws {
        let config = try Fixtures.decode(Fixtures.minimal).get()
        #expect(
            summary(config) == """
            listen    127.0.0.1:8080
            workers   auto
            realm     gateway
            limits    body 10MiB, head 64KiB, connections 20000 (256 per IP), rate none
            timeouts  head 10s, body idle 30s, keep-alive 1m, upstream connect 3s, upstream response 30s
            log       access stderr, level info

            upstreams (1)
              legacy: 127.0.0.1:9000

            issuers (0)

            routes (1, first match wins)
              /*  * -> legacy  auth public  rate none
            """)
    }
}
