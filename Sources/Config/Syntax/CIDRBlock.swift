/// An address range such as "10.0.0.0/8" or "fd00::/8"; a bare address means a single host.
public struct CIDRBlock: Sendable, Equatable, Decodable, CustomStringConvertible {
    /// Network address bytes: 4 for IPv4, 16 for IPv6.
    public var address: [UInt8]
    public var prefixLength: Int
    public var text: String
    public var description: String { text }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.string(expecting: "an address range such as \"10.0.0.0/8\"")
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress.parse(String(parts[0])) else {
            throw decoder.invalid("invalid address range \"\(text)\" (expected an IP address, optionally with /prefix)")
        }
        let maxLength = address.count * 8
        var length = maxLength
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].count <= 3, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                let parsed = Int(parts[1]), parsed <= maxLength
            else { throw decoder.invalid("invalid prefix length in \"\(text)\" (0 to \(maxLength))") }
            length = parsed
        }
        // Host bits set usually means a mistyped range; trusting more or fewer proxies than meant is a security bug.
        for bit in length..<maxLength where address[bit / 8] & (0x80 >> UInt8(bit % 8)) != 0 {
            throw decoder.invalid("address range \"\(text)\" has bits set after the /\(length) prefix")
        }
        self.address = address
        self.prefixLength = length
        self.text = text
    }
}
