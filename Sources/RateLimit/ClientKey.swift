/// Whom a bucket belongs to: a client address (IPv6 grouped by prefix) or an authenticated subject.
/// The two live in separate namespaces, so no subject string can ever land in an address's bucket.
public struct ClientKey: Sendable, Hashable {
    enum Kind: UInt8 {
        case address = 1
        case subject = 2
    }

    let kind: Kind
    let high: UInt64
    let low: UInt64

    /// IPv4 keys by the whole address; IPv6 by its first `ipv6Prefix` bits (default /64, what one host or
    /// subscriber usually controls), so hopping across one's own /64 does not earn fresh buckets.
    public static func ip(_ ip: IPAddress, ipv6Prefix: Int = 64) -> ClientKey {
        // IPv4 must be checked first: masking a mapped address to /64 would put all of IPv4 in one bucket.
        let keyed = ip.isIPv4 ? ip : ip.masked(toPrefix: ipv6Prefix)
        return ClientKey(kind: .address, high: keyed.high, low: keyed.low)
    }

    /// A subject (e.g. the JWT `sub`), reduced to a 128-bit SipHash under a per-process random key:
    /// fixed size and allocation-free, and collisions cannot be chosen without the key.
    public static func subject(_ subject: some StringProtocol) -> ClientKey {
        if let key = subject.utf8.withContiguousStorageIfAvailable({ Self.subject(UnsafeRawBufferPointer($0)) }) {
            return key
        }
        return Array(subject.utf8).withUnsafeBytes { Self.subject($0) }
    }

    /// A subject given as raw bytes; the same bytes give the same key as the equivalent string.
    public static func subject(_ bytes: UnsafeRawBufferPointer) -> ClientKey {
        let (high, low) = SipHash128.hash(bytes, key: SipHash128.processKey)
        return ClientKey(kind: .subject, high: high, low: low)
    }
}
