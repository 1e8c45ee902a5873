import HTTP1

/// The ordered routes; the first whose host, path and method all match wins. A linear scan over a few
/// byte comparisons per route: fine for the hundreds of routes a gateway in front of legacy APIs has.
public struct RouteTable: Sendable {
    public let routes: [Route]

    public init(_ routes: [Route]) { self.routes = routes }

    public enum Match: Equatable {
        case route(Int)
        /// Some route has this path but none allows the method: the union of their methods, for `Allow`.
        case methodNotAllowed([[UInt8]])
        case notFound
    }

    /// `host` is the Host header value (port allowed; compared case-insensitively without it).
    public func match(method: UnsafeRawBufferPointer, path: UnsafeRawBufferPointer, host: UnsafeRawBufferPointer?) -> Match {
        var allowed: [[UInt8]]? = nil
        for i in routes.indices {
            let r = routes[i]
            if let h = r.host, !hostMatches(h, host) { continue }
            guard r.matchesPath(path) else { continue }
            if r.allowsMethod(method) { return .route(i) }
            if allowed == nil { allowed = [] }
            for m in r.methods where !(allowed?.contains(m) ?? false) { allowed?.append(m) }
        }
        if let allowed { return .methodNotAllowed(allowed) }
        return .notFound
    }

    private func hostMatches(_ want: [UInt8], _ host: UnsafeRawBufferPointer?) -> Bool {
        guard let host else { return false }
        var end = host.count
        // Strip ":port" (but not inside an IPv6 literal "[...]").
        if let colon = host.lastIndex(of: UInt8(ascii: ":")), host.last != UInt8(ascii: "]") {
            if host.first != UInt8(ascii: "[") || host[colon - 1] == UInt8(ascii: "]") { end = colon }
        }
        guard end == want.count else { return false }
        for i in 0..<end where asciiLower(host[i]) != want[i] { return false }
        return true
    }
}

@inline(__always)
func asciiLower(_ b: UInt8) -> UInt8 {
    b >= 0x41 && b <= 0x5A ? b | 0x20 : b
}
