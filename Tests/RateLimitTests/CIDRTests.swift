import Testing

@testable import RateLimit

@Suite struct CIDRTests {
    @Test(arguments: [
        ("10.0.0.0/8", "10.0.0.0/8"),
        ("192.168.1.1", "192.168.1.1/32"),
        ("0.0.0.0/0", "0.0.0.0/0"),
        ("172.16.0.0/12", "172.16.0.0/12"),
        ("::1/128", "::1/128"),
        ("::1", "::1/128"),
        ("::/0", "::/0"),
        ("::", "::/128"),
        ("::ffff:1.2.3.4", "1.2.3.4/32"),
        ("::ffff:0:0/96", "0.0.0.0/0"),
        ("2001:db8::/32", "2001:db8::/32"),
        ("2001:DB8:1:2::/64", "2001:db8:1:2::/64"),
    ])
    func parsesValidBlocks(text: String, canonical: String) throws {
        let cidr = try #require(CIDR(parsing: text))
        #expect(cidr.description == canonical)
        #expect(CIDR(parsing: canonical) == cidr)
    }

    @Test(arguments: [
        "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "/8", "10.0.0.0/08", "10.0.0.0/8/8", "10.0.0/8", "10.0.0.0 /8",
        "10.1.0.0/8", "192.168.1.1/24", "::1/129", "::1/0128", "2001:db8::1/32", "fe80::1%eth0/64", "10.0.0.0/x", "",
        "10.0.0.0/1000",
    ])
    func rejectsInvalidBlocks(text: String) {
        #expect(CIDR(parsing: text) == nil)
    }

    @Test(arguments: [
        ("10.0.0.0/8", "10.255.1.2", true),
        ("10.0.0.0/8", "11.0.0.1", false),
        ("10.0.0.0/8", "::ffff:10.1.1.1", true),
        ("10.0.0.0/8", "::a00:1", false),
        ("0.0.0.0/0", "203.0.113.1", true),
        ("0.0.0.0/0", "::1", false),
        ("::/0", "1.2.3.4", true),
        ("::/0", "2001:db8::1", true),
        ("2001:db8::/32", "2001:db8:ffff::1", true),
        ("2001:db8::/32", "2001:db9::1", false),
        ("192.168.1.7", "192.168.1.7", true),
        ("192.168.1.7", "192.168.1.8", false),
        ("172.16.0.0/12", "172.31.255.255", true),
        ("172.16.0.0/12", "172.32.0.0", false),
    ])
    func containment(block: String, address: String, expected: Bool) throws {
        let cidr = try #require(CIDR(parsing: block))
        let ip = try #require(IPAddress(parsing: address))
        #expect(cidr.contains(ip) == expected)
    }
}
