import Glibc

/// A socket address from the config: "127.0.0.1:8080", "[::1]:8080", "localhost:8080".
///
/// Hosts are IP literals or "localhost" only: resolving names at load time would make the gateway's
/// behaviour depend on DNS at startup.
public struct HostPort: Sendable, Equatable, Hashable, Decodable, CustomStringConvertible {
    /// The host without brackets ("::1", "127.0.0.1", "localhost").
    public var host: String
    public var port: UInt16
    /// True for IPv6 literals.
    public var isIPv6: Bool
    /// The text as written.
    public var text: String
    /// True for an upstream target written "https://host:port"; listen and admin addresses never set it.
    public var tls: Bool
    public var description: String { text }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.string(expecting: "an address such as \"127.0.0.1:8080\"")
        switch HostPort.parse(text) {
        case .success(let address): self = address
        case .failure(let problem): throw decoder.invalid("invalid address \"\(text)\": \(problem.reason)")
        }
    }

    init(host: String, port: UInt16, isIPv6: Bool, text: String, tls: Bool = false) {
        self.host = host
        self.port = port
        self.isIPv6 = isIPv6
        self.text = text
        self.tls = tls
    }

    /// True for 127.0.0.0/8, ::1 and "localhost": addresses other machines cannot reach.
    public var isLoopback: Bool {
        guard host != "localhost" else { return true }
        guard let bytes = IPAddress.parse(host) else { return false }
        if bytes.count == 4 { return bytes[0] == 127 }
        let mappedIPv4 = bytes[..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
        return bytes == [UInt8](repeating: 0, count: 15) + [1] || (mappedIPv4 && bytes[12] == 127)
    }

    /// Whether two sockets bound to these addresses would take some of the same connections: the same address, or
    /// a wildcard ("0.0.0.0" covers IPv4; "::" covers both families, Linux's default without IPV6_V6ONLY).
    func overlaps(_ other: HostPort) -> Bool {
        guard port == other.port, port != 0 else { return false }
        func bytes(_ address: HostPort) -> [UInt8] { IPAddress.parse(address.host == "localhost" ? "127.0.0.1" : address.host) ?? [] }
        let (a, b) = (bytes(self), bytes(other))
        func covers(_ wildcard: [UInt8], _ address: [UInt8]) -> Bool {
            wildcard.allSatisfy { $0 == 0 } && (wildcard.count == 16 || address.count == 4)
        }
        return a == b || covers(a, b) || covers(b, a)
    }

    struct Problem: Error { let reason: String }

    /// `allowZeroPort`: a listen address may use port 0 ("any free port", for tests and tools that read
    /// the bound port back); an upstream target may not.
    static func parse(_ text: String, allowZeroPort: Bool = false) -> Result<HostPort, Problem> {
        let host: Substring
        let portText: Substring
        let isIPv6: Bool
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return .failure(Problem(reason: "missing \"]\"")) }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return .failure(Problem(reason: "expected \":port\" after \"]\"")) }
            portText = rest.dropFirst()
            guard IPAddress.parse(String(host))?.count == 16 else {
                return .failure(Problem(reason: "\"\(host)\" is not an IPv6 address"))
            }
            isIPv6 = true
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                return .failure(Problem(reason: "expected host:port"))
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") {
                return .failure(Problem(reason: "IPv6 addresses need brackets, e.g. \"[::1]:8080\""))
            }
            guard host == "localhost" || IPAddress.parse(String(host))?.count == 4 else {
                return .failure(Problem(reason: "host must be an IP address or \"localhost\", got \"\(host)\""))
            }
            isIPv6 = false
        }
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
            let port = Int(portText), ((allowZeroPort ? 0 : 1)...65535).contains(port)
        else { return .failure(Problem(reason: "port must be a number from \(allowZeroPort ? 0 : 1) to 65535")) }
        return .success(HostPort(host: String(host), port: UInt16(port), isIPv6: isIPv6, text: text))
    }
}

/// A listen address: a `HostPort` whose port may be 0.
struct ListenAddress: Decodable, Equatable {
    var value: HostPort

    init(from decoder: any Decoder) throws {
        let text = try decoder.string(expecting: "an address such as \"127.0.0.1:8080\"")
        switch HostPort.parse(text, allowZeroPort: true) {
        case .success(let address): value = address
        case .failure(let problem): throw decoder.invalid("invalid address \"\(text)\": \(problem.reason)")
        }
    }
}

/// IP literal parsing shared by addresses and CIDR blocks.
enum IPAddress {
    /// 4 bytes for IPv4, 16 for IPv6; nil for anything else (inet_pton rejects octets with leading zeros).
    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
