import Testing

@testable import RateLimit

@Suite struct TrustedProxiesTests {
    let proxies = TrustedProxies(["10.0.0.0/8", "192.168.0.0/16", "2001:db8:ffff::/48"].compactMap { CIDR(parsing: $0) })

    func resolve(_ proxies: TrustedProxies, peer: String, xff: [String]) throws -> String {
        let peerAddress = try #require(IPAddress(parsing: peer))
        let buffers = xff.map { value -> UnsafeRawBufferPointer in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: value.utf8.count, alignment: 1)
            buffer.copyBytes(from: value.utf8)
            return UnsafeRawBufferPointer(buffer)
        }
        defer { buffers.forEach { $0.deallocate() } }
        return proxies.resolveClient(peer: peerAddress, forwardedFor: buffers).description
    }

    @Test(arguments: [
        // An untrusted peer cannot pick its key by sending X-Forwarded-For.
        ("untrusted peer", "203.0.113.9", ["1.2.3.4"], "203.0.113.9"),
        ("untrusted peer, trusted-looking XFF", "203.0.113.9", ["10.0.0.2"], "203.0.113.9"),
        ("trusted peer, no XFF", "10.0.0.1", [], "10.0.0.1"),
        ("one hop", "10.0.0.1", ["198.51.100.7"], "198.51.100.7"),
        ("proxy chain", "10.0.0.1", ["198.51.100.7, 10.0.0.2"], "198.51.100.7"),
        ("spoofed left part ignored", "10.0.0.1", ["6.6.6.6, 198.51.100.7, 10.0.0.2"], "198.51.100.7"),
        ("all trusted: left-most", "10.0.0.1", ["10.0.0.5, 192.168.1.1, 10.0.0.2"], "10.0.0.5"),
        ("garbage stops the walk", "10.0.0.1", ["198.51.100.7, garbage, 10.0.0.2"], "10.0.0.2"),
        ("garbage right after peer", "10.0.0.1", ["198.51.100.7, 10.0.0.2, unknown"], "10.0.0.1"),
        ("garbage only", "10.0.0.1", ["unknown"], "10.0.0.1"),
        ("garbage left of client irrelevant", "10.0.0.1", ["nonsense, 198.51.100.7"], "198.51.100.7"),
        ("bad port is garbage", "10.0.0.1", ["198.51.100.7, 10.0.0.2:99999"], "10.0.0.1"),
        ("bracketed v4 is garbage", "10.0.0.1", ["[198.51.100.7]"], "10.0.0.1"),
        ("zone id is garbage", "10.0.0.1", ["fe80::1%eth0"], "10.0.0.1"),
        ("two headers concatenate", "10.0.0.1", ["198.51.100.7", "10.0.0.2"], "198.51.100.7"),
        ("two headers, client in first", "10.0.0.1", ["1.1.1.1, 10.0.0.3", "10.0.0.2"], "1.1.1.1"),
        ("two headers, client in last", "10.0.0.1", ["1.1.1.1", "2.2.2.2, 10.0.0.2"], "2.2.2.2"),
        ("empty header skipped", "10.0.0.1", ["198.51.100.7", ""], "198.51.100.7"),
        ("empty elements skipped", "10.0.0.1", ["198.51.100.7,, 10.0.0.2,"], "198.51.100.7"),
        ("whitespace trimmed", "10.0.0.1", [" \t198.51.100.7 ,\t10.0.0.2 "], "198.51.100.7"),
        ("v4 with port", "10.0.0.1", ["198.51.100.7:5678, 10.0.0.2:443"], "198.51.100.7"),
        ("bracketed v6 with port", "10.0.0.1", ["[2001:db8::1]:443"], "2001:db8::1"),
        ("bracketed v6", "10.0.0.1", ["[2001:db8::1]"], "2001:db8::1"),
        ("bare v6", "10.0.0.1", ["2001:db8::1, 2001:db8:ffff::2"], "2001:db8::1"),
        ("v6 trusted peer", "2001:db8:ffff::9", ["198.51.100.7"], "198.51.100.7"),
        ("mapped peer is trusted by v4 block", "::ffff:10.0.0.1", ["198.51.100.7"], "198.51.100.7"),
        ("mapped client equals v4", "10.0.0.1", ["::ffff:198.51.100.7"], "198.51.100.7"),
    ])
    func resolvesClient(name: String, peer: String, xff: [String], expected: String) throws {
        #expect(try resolve(proxies, peer: peer, xff: xff) == expected, "\(name)")
    }

    @Test func noTrustedProxiesMeansPeerAlways() throws {
        let none = TrustedProxies([])
        #expect(none.isEmpty)
        #expect(try resolve(none, peer: "10.0.0.1", xff: ["198.51.100.7"]) == "10.0.0.1")
    }

    @Test func containsChecksEveryBlock() throws {
        #expect(proxies.contains(try #require(IPAddress(parsing: "192.168.3.4"))))
        #expect(!proxies.contains(try #require(IPAddress(parsing: "172.16.0.1"))))
    }
}
