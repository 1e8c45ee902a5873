/// An https URL the gateway fetches from (a `jwks_uri`, an issuer for discovery): "https://host[:port]/path".
///
/// Plain http is accepted only for loopback hosts (local test servers): keys fetched over plain http from
/// anywhere else could be replaced by anyone on the path, and would then verify forged tokens.
enum RemoteURL {
    /// Why `text` is not acceptable, or nil when it is.
    static func check(_ text: String) -> String? {
        guard let separator = text.range(of: "://") else {
            return "\"\(text)\" is not a URL (expected https://host/path)"
        }
        let scheme = text[..<separator.lowerBound]
        guard scheme == "https" || scheme == "http" else { return "\"\(text)\": the scheme must be https" }
        guard text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return "\"\(text)\" must not contain spaces, control or non-ASCII characters"
        }
        let rest = text[separator.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if rest.contains("#") { return "\"\(text)\" must not have a fragment" }
        if authority.contains("@") { return "\"\(text)\" must not contain user info" }
        guard let host = host(of: authority) else { return "\"\(text)\" has an invalid host or port" }
        if scheme == "http", !["127.0.0.1", "::1", "localhost"].contains(host) {
            return "\"\(text)\" must use https (plain http is allowed only for 127.0.0.1, [::1] and localhost)"
        }
        return nil
    }

    /// The host without brackets, or nil when the host or port is malformed.
    private static func host(of authority: Substring) -> String? {
        var host = authority
        var port: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            guard IPAddress.parse(String(host))?.count == 16 else { return nil }
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                port = after.dropFirst()
            }
        } else {
            if let colon = authority.lastIndex(of: ":") {
                host = authority[..<colon]
                port = authority[authority.index(after: colon)...]
            }
            guard !host.contains(":"), Names.isHost(String(host).lowercased()) else { return nil }
        }
        if let port {
            guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(port),
                (1...65535).contains(value)
            else { return nil }
        }
        return String(host).lowercased()
    }
}
