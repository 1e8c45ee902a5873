import EventLoop

/// Where the load goes, from an `http://host[:port]/path` URL. Hosts are IP literals or localhost: a load
/// generator that resolved names would measure the resolver too.
public struct LoadTarget: Sendable {
    public let address: SocketAddress
    /// The Host header value (the URL's authority).
    public let authority: String
    /// The request target used when no `--paths` file is given.
    public let path: String

    public init(url: String) throws(LoadError) {
        guard url.hasPrefix("http://") else {
            throw LoadError("URL must start with http:// (https is not supported), got \"\(url)\"")
        }
        let rest = url.dropFirst("http://".count)
        let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = String(rest[..<slash])
        var path = String(rest[slash...])
        if path.isEmpty { path = "/" }
        if path.hasPrefix("?") { path = "/" + path }
        guard !authority.isEmpty else { throw LoadError("URL has no host: \"\(url)\"") }
        let hasPort: Bool
        if authority.hasPrefix("[") {
            hasPort = authority.contains("]:")
        } else {
            hasPort = authority.contains(":")
        }
        guard let address = SocketAddress(parsing: hasPort ? authority : authority + ":80") else {
            throw LoadError("URL host must be an IP address or localhost with an optional port 1-65535, got \"\(authority)\"")
        }
        guard address.port != 0 else { throw LoadError("URL port must be 1-65535, got \"\(authority)\"") }
        try Self.checkTarget(path)
        self.address = address
        self.authority = authority
        self.path = path
    }

    /// Request targets are sent verbatim, so they must not contain bytes that would break the request line.
    static func checkTarget(_ path: String) throws(LoadError) {
        guard path.hasPrefix("/") else { throw LoadError("path \"\(path)\" must start with /") }
        guard path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw LoadError("path \"\(path)\" contains a space, control or non-ASCII byte; percent-encode it")
        }
    }
}
