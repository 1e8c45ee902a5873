/// An IPv4 or IPv6 address as 16 bytes in network order. IPv4 is stored as the IPv4-mapped form `::ffff:a.b.c.d`,
/// so a dual-stack socket's mapped peer and the same address read from X-Forwarded-For are one client.
public struct IPAddress: Sendable, Hashable {
    /// Bytes 0–7 and 8–15, big-endian: byte 0 is the top byte of `high`.
    var high: UInt64
    var low: UInt64

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    static let mappedMarker: UInt64 = 0x0000_FFFF_0000_0000

    public init(ipv4 octets: (UInt8, UInt8, UInt8, UInt8)) {
        let value = UInt32(octets.0) << 24 | UInt32(octets.1) << 16 | UInt32(octets.2) << 8 | UInt32(octets.3)
        self.init(ipv4Value: value)
    }

    init(ipv4Value: UInt32) {
        self.init(high: 0, low: Self.mappedMarker | UInt64(ipv4Value))
    }

    public init(
        ipv6 bytes: (
            UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
            UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
        )
    ) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        withUnsafeBytes(of: bytes) { raw in
            for i in 0..<8 {
                high = high << 8 | UInt64(raw[i])
                low = low << 8 | UInt64(raw[i + 8])
            }
        }
        self.init(high: high, low: low)
    }

    /// True for IPv4 (including an IPv6-mapped IPv4 address, which is the same thing here).
    public var isIPv4: Bool { high == 0 && low >> 32 == 0xFFFF }

    /// 127.0.0.0/8 or ::1.
    public var isLoopback: Bool { isIPv4 ? ipv4Value >> 24 == 127 : high == 0 && low == 1 }

    /// The 32-bit IPv4 value; meaningful only when `isIPv4`.
    var ipv4Value: UInt32 { UInt32(truncatingIfNeeded: low) }

    /// The address with every bit after the first `prefixLength` (0...128, clamped) cleared.
    public func masked(toPrefix prefixLength: Int) -> IPAddress {
        let bits = min(max(prefixLength, 0), 128)
        if bits >= 128 { return self }
        if bits == 0 { return IPAddress(high: 0, low: 0) }
        if bits <= 64 {
            let mask: UInt64 = bits == 64 ? .max : ~(UInt64.max >> UInt64(bits))
            return IPAddress(high: high & mask, low: 0)
        }
        return IPAddress(high: high, low: low & ~(UInt64.max >> UInt64(bits - 64)))
    }
}
