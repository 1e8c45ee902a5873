/// An address block. IPv4 text takes an IPv4 prefix (`10.0.0.0/8`) and covers only IPv4 addresses; IPv6 text
/// takes an IPv6 prefix, so `::ffff:0:0/96` covers all of IPv4 and `::/0` everything.
///
/// Text whose address has bits set after the prefix (`10.1.2.3/8`) is rejected rather than masked: in a
/// trusted-proxy list such a typo would silently trust a whole network where one host was meant.
public struct CIDR: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the block.
    public let network: IPAddress
    /// Prefix length in IPv6 bits (0...128); an IPv4 `/n` is stored as `96 + n`.
    public let prefixLength: Int

    public init?(network: IPAddress, prefixLength: Int) {
        guard (0...128).contains(prefixLength), network.masked(toPrefix: prefixLength) == network else { return nil }
        self.network = network
        self.prefixLength = prefixLength
    }

    /// Parses `address/prefix` or a bare address (a single host: /32 or /128). Prefix digits without leading zeros.
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let addressText = parts.first, let address = IPAddress(parsing: addressText) else { return nil }
        let writtenAsIPv4 = !addressText.contains(":")
        var length = 128
        if parts.count == 2 {
            let digits = parts[1].utf8
            guard (1...3).contains(digits.count), digits.allSatisfy({ IPAddress.decimalDigit($0) != nil }),
                digits.count == 1 || digits.first != UInt8(ascii: "0"), let value = Int(parts[1])
            else { return nil }
            if writtenAsIPv4 {
                guard value <= 32 else { return nil }
                length = 96 + value
            } else {
                guard value <= 128 else { return nil }
                length = value
            }
        }
        self.init(network: address, prefixLength: length)
    }

    public func contains(_ ip: IPAddress) -> Bool {
        ip.masked(toPrefix: prefixLength) == network
    }

    public var description: String {
        network.isIPv4 && prefixLength >= 96 ? "\(network)/\(prefixLength - 96)" : "\(network)/\(prefixLength)"
    }
}
