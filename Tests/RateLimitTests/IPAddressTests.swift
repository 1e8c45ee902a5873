import Testing

@testable import RateLimit

@Suite struct IPAddressTests {
    @Test(arguments: [
        ("1.2.3.4", "1.2.3.4"),
        ("0.0.0.0", "0.0.0.0"),
        ("255.255.255.255", "255.255.255.255"),
        ("::", "::"),
        ("::1", "::1"),
        ("1::", "1::"),
        ("2001:DB8::1", "2001:db8::1"),
        ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
        ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
        ("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"),
        ("::ffff:1.2.3.4", "1.2.3.4"),
        ("::FFFF:102:304", "1.2.3.4"),
        ("64:ff9b::1.2.3.4", "64:ff9b::102:304"),
        ("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"),
        ("::1.2.3.4", "::102:304"),
    ])
    func parsesToCanonicalText(text: String, canonical: String) throws {
        let address = try #require(IPAddress(parsing: text))
        #expect(address.description == canonical)
        #expect(IPAddress(parsing: canonical) == address)
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.04", "1..2.3", "1.2.3.4 ", " 1.2.3.4", "1.2.3.-4",
        "1.2.3.4/8", "0x1.2.3.4", "1.2.3.", ".1.2.3", ":::", "1:::2", "::1::", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7", ":1::", "1:", ":1", "1::2:3:4:5:6:7:8", "fe80::1%eth0", "[::1]", "1.2.3.4::", "::ffff:1.2.3",
        "g::", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4:5", "::1.2.3.4.5", "1.2.3.4:80",
    ])
    func rejectsMalformedText(text: String) {
        #expect(IPAddress(parsing: text) == nil)
    }

    @Test func mappedIPv4IsIPv4() throws {
        let mapped = try #require(IPAddress(parsing: "::ffff:10.0.0.1"))
        #expect(mapped == IPAddress(ipv4: (10, 0, 0, 1)))
        #expect(mapped.isIPv4)
        #expect(try #require(IPAddress(parsing: "::1.2.3.4")).isIPv4 == false)
        #expect(try #require(IPAddress(parsing: "2001:db8::1")).isIPv4 == false)
    }

    @Test func byteAndTupleInitialisersAgreeWithText() throws {
        let text = "2001:db8::ff00:42:8329"
        let bytes = Array(text.utf8)
        let fromBytes = bytes.withUnsafeBytes { IPAddress(bytes: $0) }
        let fromTuple = IPAddress(ipv6: (0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0xFF, 0x00, 0x00, 0x42, 0x83, 0x29))
        #expect(fromBytes == IPAddress(parsing: text))
        #expect(fromTuple == IPAddress(parsing: text))
        #expect(IPAddress(parsing: text[...]) == fromTuple)
    }
}
