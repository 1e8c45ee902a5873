import Testing
@testable import Config

/// `listen` entries: plain addresses and TLS listeners.
struct ListenerConfigTests {
    @Test func plainAddressesHaveNoTLS() throws {
        let config = try Fixtures.decode(Fixtures.full).get()
        #expect(config.listeners.map(\.address) == config.listen)
        #expect(config.listeners.map(\.tls) == [nil, nil])
        #expect(config.listeners.map(\.jsonPath) == ["listen[0]", "listen[1]"])
        let single = try Fixtures.decode(Fixtures.minimal).get()
        #expect(single.listeners.map(\.jsonPath) == ["listen"])
    }

    @Test func tlsListener() throws {
        let config = try Fixtures.decode(Fixtures.operations).get()
        #expect(config.listen.map(\.text) == ["127.0.0.1:8080", "127.0.0.1:8443"])
        #expect(config.listeners[0].tls == nil)
        let tls = try #require(config.listeners[1].tls)
        #expect(config.listeners[1].jsonPath == "listen[1]")
        #expect(tls.jsonPath == "listen[1].tls")
        #expect(tls.cert.original == "certs/default.pem")
        #expect(tls.cert.resolved == "/etc/gateway/certs/default.pem")
        #expect(tls.key.resolved == "/etc/gateway/certs/default.key")
        #expect(tls.certificates.map(\.cert.resolved) == ["/etc/gateway/certs/api.pem"])
        #expect(tls.certificates.map(\.key.resolved) == ["/etc/gateway/certs/api.key"])
        #expect(tls.certificates.map(\.jsonPath) == ["listen[1].tls.certificates[0]"])
        #expect(tls.minVersion == .v1_3)
        #expect(tls.sessionTickets)
        #expect(tls.ticketKeyRotation == .seconds(1_800))
        #expect(tls.handshakeTimeout == .seconds(5))
    }

    @Test func tlsDefaults() throws {
        let config = try Fixtures.decode(Fixtures.serverTLS("")).get()
        let tls = try #require(config.listeners.first?.tls)
        #expect(tls.certificates.isEmpty)
        #expect(tls.minVersion == .v1_2)
        #expect(tls.ciphers == ServerTLSConfig.defaultCiphers)
        #expect(tls.sessionTickets)
        #expect(tls.ticketKeyRotation == .seconds(3_600))
        #expect(tls.handshakeTimeout == .seconds(10))
    }

    @Test func defaultCiphersAreForwardSecretAEADOnly() {
        let suites = ServerTLSConfig.defaultCiphers.split(separator: ":")
        #expect(suites.count == 6)
        #expect(suites.allSatisfy { $0.hasPrefix("ECDHE-") && ($0.contains("-GCM-") || $0.hasSuffix("CHACHA20-POLY1305")) })
    }

    @Test func anObjectWithoutTLSIsPlain() throws {
        let config = try Fixtures.decode(Fixtures.listen(#"{ "address": "127.0.0.1:8080" }"#)).get()
        #expect(config.listen.map(\.text) == ["127.0.0.1:8080"])
        #expect(config.listeners.first?.tls == nil)
    }

    @Test func aSingleTLSListenerObject() throws {
        let json = Fixtures.listen(#"{ "address": "[::1]:8443", "tls": { "cert": "/tls/c.pem", "key": "/tls/k.pem" } }"#)
        let listener = try #require(try Fixtures.decode(json).get().listeners.first)
        #expect(listener.jsonPath == "listen")
        #expect(listener.address.host == "::1")
        #expect(listener.tls?.jsonPath == "listen.tls")
        #expect(listener.tls?.cert.resolved == "/tls/c.pem")
    }

    @Test func givenCiphers() throws {
        let config = try Fixtures.decode(Fixtures.serverTLS(#""ciphers": "ECDHE-RSA-AES128-GCM-SHA256:!aNULL""#)).get()
        #expect(config.listeners.first?.tls?.ciphers == "ECDHE-RSA-AES128-GCM-SHA256:!aNULL")
    }

    /// `listen` values.
    @Test(arguments: [
        (#"42"#, [#"listen: expected an address such as "127.0.0.1:8080" or an object with address and tls, got a number (42)"#]),
        (#"[ { "tls": { "cert": "c", "key": "k" } } ]"#, [#"listen[0].address: missing required key"#]),
        (#"[ { "address": "127.0.0.1:1", "tsl": {} } ]"#, [#"listen[0].tsl: unknown key; did you mean "tls"? (known: address, tls)"#]),
        (#"[ { "address": "127.0.0.1" } ]"#, [#"listen[0].address: invalid address "127.0.0.1": expected host:port"#]),
        (
            #"[ "127.0.0.1:8443", { "address": "127.0.0.1:8443", "tls": { "cert": "c", "key": "k" } } ]"#,
            [#"listen[1]: 127.0.0.1:8443 is listed twice"#]
        ),
        (#"[ { "tls": {} }, { "tls": {} } ]"#, [
            #"listen[0].address: missing required key"#, #"listen[0].tls.cert: missing required key"#,
            #"listen[0].tls.key: missing required key"#, #"listen[1].address: missing required key"#,
            #"listen[1].tls.cert: missing required key"#, #"listen[1].tls.key: missing required key"#,
        ]),
        (#"[ { "address": "127.0.0.1:8443", "tls": "cert.pem" } ]"#, [#"listen[0].tls: expected an object, got a string ("cert.pem")"#]),
    ])
    func listenProblems(listen: String, expected: [String]) {
        #expect(Fixtures.problems(Fixtures.listen(listen)).map(\.description) == expected, "\(listen)")
    }

    /// Members added to `listen[0].tls` beside a valid cert and key.
    @Test(arguments: [
        (#""min_version": "1.1""#, [#"listen[0].tls.min_version: TLS 1.1 is not allowed: versions before 1.2 have known weaknesses; use "1.2" or "1.3""#]),
        (#""min_version": "1.0""#, [#"listen[0].tls.min_version: TLS 1.0 is not allowed: versions before 1.2 have known weaknesses; use "1.2" or "1.3""#]),
        (#""min_version": "1.4""#, [#"listen[0].tls.min_version: unknown TLS version "1.4"; did you mean "1.2"? (known: 1.2, 1.3)"#]),
        (#""min_version": 1.2"#, [#"listen[0].tls.min_version: expected a TLS version (1.2, 1.3), got a number (1.2)"#]),
        (#""ciphers": """#, [#"listen[0].tls.ciphers: must be an OpenSSL cipher list of printable characters without spaces, such as "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305""#]),
        (#""ciphers": "HIGH: !aNULL""#, [#"listen[0].tls.ciphers: must be an OpenSSL cipher list of printable characters without spaces, such as "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305""#]),
        (#""ciphers": "HIGH\n""#, [#"listen[0].tls.ciphers: must be an OpenSSL cipher list of printable characters without spaces, such as "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305""#]),
        (#""ciphers": "HIGHé""#, [#"listen[0].tls.ciphers: must be an OpenSSL cipher list of printable characters without spaces, such as "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305""#]),
        (
            #""min_version": "1.3", "ciphers": "ECDHE-RSA-AES128-GCM-SHA256""#,
            [#"listen[0].tls.ciphers: only applies to TLS 1.2, which min_version "1.3" turns off; remove ciphers or lower min_version"#]
        ),
        (#""session_tickets": "yes""#, [#"listen[0].tls.session_tickets: expected true or false, got a string ("yes")"#]),
        (#""ticket_key_rotation": "30s""#, [#"listen[0].tls.ticket_key_rotation: must be between 1m and 1d, got 30s"#]),
        (#""ticket_key_rotation": "25h""#, [#"listen[0].tls.ticket_key_rotation: must be between 1m and 1d, got 1d1h"#]),
        (
            #""session_tickets": false, "ticket_key_rotation": "1h""#,
            [#"listen[0].tls.ticket_key_rotation: only used with session_tickets, which is false"#]
        ),
        (#""handshake_timeout": "500ms""#, [#"listen[0].tls.handshake_timeout: must be between 1s and 1m, got 500ms"#]),
        (#""handshake_timeout": "61s""#, [#"listen[0].tls.handshake_timeout: must be between 1s and 1m, got 1m1s"#]),
        (#""certificates": [ { "cert": "a.pem" } ]"#, [#"listen[0].tls.certificates[0].key: missing required key"#]),
        (
            #""certificates": [ { "cert": "a.pem", "key": "a.key", "chain": "x" } ]"#,
            [#"listen[0].tls.certificates[0].chain: unknown key (known: cert, key)"#]
        ),
        (
            #""certificates": [ { "cert": "a.pem", "key": "a.key" }, { "cert": "./a.pem", "key": "b.key" } ]"#,
            [#"listen[0].tls.certificates[1].cert: ./a.pem is listed twice"#]
        ),
        (
            #""certificates": [ { "cert": "c.pem", "key": "k2.pem" } ]"#,
            [#"listen[0].tls.certificates[0].cert: c.pem is already the default certificate (tls.cert)"#]
        ),
        (#""certificates": { "cert": "a.pem", "key": "a.key" }"#, [#"listen[0].tls.certificates: expected a list, got an object"#]),
        (
            #""min_versoin": "1.3""#,
            [#"listen[0].tls.min_versoin: unknown key; did you mean "min_version"? (known: cert, key, certificates, min_version, ciphers, session_tickets, ticket_key_rotation, handshake_timeout)"#]
        ),
    ])
    func tlsProblems(members: String, expected: [String]) {
        #expect(Fixtures.problems(Fixtures.serverTLS(members)).map(\.description) == expected, "\(members)")
    }

    @Test func tlsNeedsCertAndKey() {
        let json = Fixtures.listen(#"[ { "address": "127.0.0.1:8443", "tls": {} } ]"#)
        #expect(
            Fixtures.problems(json).map(\.description) == [
                #"listen[0].tls.cert: missing required key"#, #"listen[0].tls.key: missing required key"#,
            ])
    }
}
