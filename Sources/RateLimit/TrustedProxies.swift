/// The proxies whose X-Forwarded-For additions are believed, and the client-address resolution that uses them.
public struct TrustedProxies: Sendable {
    public let cidrs: [CIDR]

    public init(_ cidrs: [CIDR]) {
        self.cidrs = cidrs
    }

    public var isEmpty: Bool { cidrs.isEmpty }

    /// Linear scan: trusted-proxy lists are a handful of entries.
    public func contains(_ ip: IPAddress) -> Bool {
        for cidr in cidrs where cidr.contains(ip) { return true }
        return false
    }

    /// The address to rate-limit for a request from `peer` carrying the X-Forwarded-For header values `xffValues`
    /// (in header order; several headers concatenate in order).
    ///
    /// Only hops we trust may speak for the client: an untrusted peer's X-Forwarded-For is ignored entirely.
    /// Otherwise the list is walked from the right (the end our own proxy appended) and the right-most address
    /// not itself trusted is the client; if every address is trusted, the left-most one is. An element that does
    /// not parse stops the walk and the last trusted hop seen (the element to its right, or the peer) is the
    /// client, so garbage a client injects can never choose the key.
    ///
    /// Element forms accepted: bare IPv4 or IPv6, `v4:port`, `[v6]` and `[v6]:port` (some proxies append the
    /// port). Optional whitespace around elements is trimmed; empty elements (`a,,b`, a blank header) are skipped
    /// as RFC 9110 list syntax requires. Anything else (`unknown`, obfuscated identifiers, zone IDs) is garbage.
    public func resolveClient(peer: IPAddress, forwardedFor xffValues: [UnsafeRawBufferPointer]) -> IPAddress {
        guard contains(peer) else { return peer }
        var client = peer
        for value in xffValues.reversed() {
            var end = value.count
            while end > 0 {
                var start = end
                while start > 0 && value[start - 1] != UInt8(ascii: ",") { start -= 1 }
                let element = ForwardedElement.trimmed(value, from: start, to: end)
                end = start - 1
                if element.isEmpty { continue }
                guard let hop = ForwardedElement.address(element) else { return client }
                client = hop
                if !contains(hop) { return hop }
            }
        }
        return client
    }
}
