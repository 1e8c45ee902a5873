/// An absolute http(s) URL as the key fetcher needs it: where to connect and what to put in the request
/// line. Deliberately strict: no user info, no fragment, and only visible ASCII in the target, so a URL
/// from an untrusted discovery document can never inject bytes into our request head.
public struct FetchURL: Sendable, Equatable, CustomStringConvertible {
    public enum Scheme: Sendable, Equatable { case http, https }

    public let scheme: Scheme
    /// A DNS name, an IPv4 literal or an IPv6 literal without brackets.
    public let host: String
    public let port: UInt16
    /// Path and query, starting with "/".
    public let target: String

    public init?(parsing text: String) {
        let rest: Substring
        if text.hasPrefix("https://") {
            scheme = .https
            rest = text.dropFirst(8)
        } else if text.hasPrefix("http://") {
            scheme = .http
            rest = text.dropFirst(7)
        } else {
            return nil
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var target = String(rest[authorityEnd...])
        if target.isEmpty { target = "/" }
        if target.hasPrefix("?") { target = "/" + target }
        guard target.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "#") }) else { return nil }

        var hostPart: Substring
        var portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portPart = after.dropFirst()
            }
            guard !hostPart.isEmpty, hostPart.utf8.allSatisfy({ Self.isHex($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") })
            else { return nil }
        } else {
            if let colon = authority.firstIndex(of: ":") {
                hostPart = authority[..<colon]
                portPart = authority[authority.index(after: colon)...]
            } else {
                hostPart = authority
            }
            guard !hostPart.isEmpty, hostPart.utf8.count <= 253,
                hostPart.utf8.allSatisfy({ Self.isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") })
            else { return nil }
            hostPart = Substring(hostPart.lowercased())
        }
        if let portPart {
            // Digits only: `UInt16` alone would also take a sign ("+80").
            guard (1...5).contains(portPart.utf8.count), portPart.utf8.allSatisfy(Self.isDigit), let p = UInt16(portPart), p > 0
            else { return nil }
            port = p
        } else {
            port = scheme == .https ? 443 : 80
        }
        host = String(hostPart)
        self.target = target
    }

    /// Plain HTTP is accepted only to this machine: keys fetched in clear text over a network could be
    /// replaced by anyone on the path, who could then sign tokens the gateway accepts.
    public var isLoopback: Bool {
        if host == "localhost" || host == "::1" { return true }
        // Plain decimal octets only: `UInt8` alone takes "-0" and "+1", and a host such as "127.-0.0.1" is no IPv4
        // literal, so it would go to the resolver (and search domains) as a name while passing for this machine.
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127"
            && octets.allSatisfy { $0.utf8.allSatisfy(Self.isDigit) && UInt8($0) != nil }
    }

    /// Whether keys may be fetched from here.
    public var isTrustworthy: Bool { scheme == .https || isLoopback }

    /// The Host header: the port only when it is not the scheme's default.
    var hostHeader: String {
        let h = host.contains(":") ? "[\(host)]" : host
        let defaultPort: UInt16 = scheme == .https ? 443 : 80
        return port == defaultPort ? h : "\(h):\(port)"
    }

    public var description: String {
        (scheme == .https ? "https://" : "http://") + hostHeader + target
    }

    private static func isDigit(_ b: UInt8) -> Bool {
        b >= 0x30 && b <= 0x39
    }

    private static func isHex(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
    }

    private static func isAlnum(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }
}
