/// A CORS origin as browsers send it in `Origin`: "https://app.example.com", "http://localhost:3000", or "*".
///
/// Origins are compared byte for byte, so a spelling no browser sends (a trailing "/", uppercase, ":443" on
/// https) would silently never match; those are errors instead.
struct Origin: Decodable {
    let text: String

    init(from decoder: any Decoder) throws {
        text = try decoder.string(expecting: "an origin such as \"https://app.example.com\"")
        if text != "*", let problem = Origin.check(text) { throw decoder.invalid(problem) }
    }

    static func check(_ text: String) -> String? {
        guard let separator = text.range(of: "://") else {
            return "\"\(text)\" is not an origin (expected scheme://host[:port], e.g. \"https://app.example.com\", or \"*\")"
        }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return "\"\(text)\": the scheme must be http or https" }
        let rest = text[separator.upperBound...]
        if rest.contains("@") { return "\"\(text)\" must not contain user info: an origin is scheme://host[:port]" }
        if rest.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
            return "\"\(text)\" must not have a path, query, fragment or trailing \"/\": an origin is scheme://host[:port]"
        }
        let (valid, port) = split(rest)
        guard valid else { return "\"\(text)\" has an invalid host or port" }
        if text != text.lowercased() {
            return "browsers send origins in lowercase, so \"\(text)\" would never match: write \"\(text.lowercased())\""
        }
        if let port, port == (scheme == "https" ? "443" : "80") {
            return "browsers leave the default port out of the origin, so \"\(text)\" would never match: remove \":\(port)\""
        }
        return nil
    }

    /// Checks the host and port, returning the port as written (nil when absent).
    private static func split(_ authority: Substring) -> (valid: Bool, port: Substring?) {
        var host = authority
        var port: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return (false, nil) }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            guard IPAddress.parse(String(host))?.count == 16 else { return (false, nil) }
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return (false, nil) }
                port = after.dropFirst()
            }
        } else {
            if let colon = authority.lastIndex(of: ":") {
                host = authority[..<colon]
                port = authority[authority.index(after: colon)...]
            }
            guard !host.contains(":"), Names.isHost(String(host).lowercased()) else { return (false, nil) }
        }
        if let port {
            // Browsers print ports without leading zeros.
            guard !port.hasPrefix("0"), port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(port), (1...65535).contains(value)
            else { return (false, nil) }
        }
        return (true, port)
    }
}
