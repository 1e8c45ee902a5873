import Testing
@testable import Config

/// What `gateway check` prints for TLS, remote keys, admin and the pid file.
struct OperationsSummaryTests {
    @Test func operationsConfig() throws {
        let config = try Fixtures.decode(Fixtures.operations).get()
        #expect(
            summary(config) == """
            listen    127.0.0.1:8080, 127.0.0.1:8443 (tls)
            tls       127.0.0.1:8443: cert certs/default.pem, SNI certs/api.pem, TLS 1.3, session tickets (key rotates every 30m), handshake 5s
            workers   auto
            realm     gateway
            limits    body 10MiB, head 64KiB, connections 20000 (256 per IP), rate none
            timeouts  head 10s, body idle 30s, keep-alive 1m, upstream connect 3s, upstream response 30s
            log       access stderr, level info
            admin     127.0.0.1:9901
            pid file  /etc/gateway/run/gateway.pid

            upstreams (2)
              legacy: 127.0.0.1:9000
              secure-api: https://10.0.0.5:8443, https://10.0.0.6:8443
                tls verify against certs/internal-ca.pem, server name api.internal

            issuers (2)
              idp: iss https://idp.example.com/realms/x, any audience, 1 key (JWKS https://idp.example.com/realms/x/protocol/openid-connect/certs ca certs/idp-ca.pem)
                jwks refresh 30m (max-age within 5m..12h), cooldown 10s, stale up to 2d, timeout 2s
              oidc: iss https://login.example.org/, any audience, keys by discovery (https://login.example.org/.well-known/openid-configuration)
                jwks refresh 1h (max-age within 1m..1d), cooldown 30s, stale up to 1d, timeout 5s

            routes (2, first match wins)
              /api/*  * -> secure-api  auth token from idp|oidc  rate none
              /*      * -> legacy  auth public  rate none
            """)
    }

    @Test(arguments: [
        (#"["https://10.0.0.5:8443"]"#, ["    tls verify against the system store, server name the target's host"]),
        (
            #"{ "targets": ["https://10.0.0.5:8443"], "tls": { "verify": false } }"#,
            [
                "    tls without certificate verification",
                "  WARNING: upstream api does not verify its targets' certificates (tls.verify is false): anyone on the network path can impersonate them",
            ]
        ),
        (
            #"{ "targets": ["https://10.0.0.5:8443"], "tls": { "verify": false, "server_name": "api.internal" } }"#,
            [
                "    tls without certificate verification, server name api.internal",
                "  WARNING: upstream api does not verify its targets' certificates (tls.verify is false): anyone on the network path can impersonate them",
            ]
        ),
    ])
    func upstreamTLS(upstream: String, expected: [String]) throws {
        let lines = summary(try Fixtures.decode(Fixtures.upstream(upstream)).get()).split(separator: "\n").map(String.init)
        let start = try #require(lines.firstIndex(of: "  api: https://10.0.0.5:8443"))
        #expect(Array(lines[(start + 1)...].prefix(expected.count)) == expected)
        #expect(lines.contains { $0.contains("WARNING") } == expected.contains { $0.contains("WARNING") })
    }

    @Test(arguments: [
        (
            #""min_version": "1.2", "session_tickets": false"#,
            "tls       127.0.0.1:8443: cert c.pem, TLS 1.2+, no session tickets, handshake 10s"
        ),
        (
            #""ciphers": "ECDHE-RSA-AES128-GCM-SHA256""#,
            "tls       127.0.0.1:8443: cert c.pem, TLS 1.2+, ciphers ECDHE-RSA-AES128-GCM-SHA256, session tickets (key rotates every 1h), handshake 10s"
        ),
    ])
    func tlsListenerLine(members: String, expected: String) throws {
        let lines = summary(try Fixtures.decode(Fixtures.serverTLS(members)).get()).split(separator: "\n").map(String.init)
        #expect(lines.prefix(2) == ["listen    127.0.0.1:8443 (tls)", expected])
    }

    @Test func remoteAdmin() throws {
        let config = try Fixtures.decode(Fixtures.top(#""admin": { "listen": "0.0.0.0:9901", "allow_remote": true }"#)).get()
        #expect(summary(config).split(separator: "\n").contains("admin     0.0.0.0:9901 (remote access allowed)"))
    }
}
