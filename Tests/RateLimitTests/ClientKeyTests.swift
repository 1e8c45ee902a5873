import Testing

@testable import RateLimit

@Suite struct ClientKeyTests {
    func key(_ text: String, prefix: Int = 64) throws -> ClientKey {
        .ip(try #require(IPAddress(parsing: text)), ipv6Prefix: prefix)
    }

    @Test func sameIPv6Slash64SharesKey() throws {
        #expect(try key("2001:db8:1:2::1") == key("2001:db8:1:2:ffff:ffff:ffff:ffff"))
        #expect(try key("2001:db8:1:2::1") != key("2001:db8:1:3::1"))
    }

    @Test func prefixIsConfigurable() throws {
        #expect(try key("2001:db8:1:2::1", prefix: 48) == key("2001:db8:1:3::1", prefix: 48))
        #expect(try key("2001:db8:1:2::1", prefix: 128) != key("2001:db8:1:2::2", prefix: 128))
    }

    @Test func ipv4IsNeverGroupedByTheIPv6Prefix() throws {
        #expect(try key("1.2.3.4") != key("1.2.3.5"))
        #expect(try key("1.2.3.4", prefix: 0) != key("5.6.7.8", prefix: 0))
        #expect(try key("::ffff:1.2.3.4") == key("1.2.3.4"))
    }

    @Test func subjectsAreStableAndDistinct() {
        #expect(ClientKey.subject("alice") == ClientKey.subject("alice"[...]))
        #expect(ClientKey.subject("alice") != ClientKey.subject("alice "))
        #expect(ClientKey.subject("") != ClientKey.subject("\0"))
        let bytes = Array("a-much-longer-subject-identifier-0123456789".utf8)
        #expect(bytes.withUnsafeBytes { ClientKey.subject($0) } == ClientKey.subject("a-much-longer-subject-identifier-0123456789"))
    }

    @Test func subjectNamespaceIsSeparateFromAddresses() throws {
        let address = try key("1.2.3.4")
        let subject = ClientKey.subject("1.2.3.4")
        #expect(address != subject)
        let limiter = RateLimiter(maxKeys: 16, shardCount: 1)
        let spec = try #require(RateSpec(rate: 1, per: 60, burst: 1))
        #expect(limiter.take(address, limiterID: 0, spec: spec, now: 0).isAllowed)
        #expect(limiter.take(subject, limiterID: 0, spec: spec, now: 0).isAllowed)
    }
}
