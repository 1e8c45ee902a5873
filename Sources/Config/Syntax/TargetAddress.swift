/// An upstream target: "host:port" or "http://host:port" for plain HTTP, "https://host:port" for TLS to the target.
struct TargetAddress: Decodable {
    let value: HostPort

    init(from decoder: any Decoder) throws {
        let text = try decoder.string(expecting: "an address such as \"127.0.0.1:9000\" or \"https://10.0.0.5:8443\"")
        switch TargetAddress.parse(text) {
        case .success(let address): value = address
        case .failure(let problem): throw decoder.invalid("invalid address \"\(text)\": \(problem.reason)")
        }
    }

    static func parse(_ text: String) -> Result<HostPort, HostPort.Problem> {
        var rest = Substring(text)
        var tls = false
        if let separator = text.range(of: "://") {
            let scheme = text[..<separator.lowerBound]
            guard scheme == "http" || scheme == "https" else {
                return .failure(HostPort.Problem(reason: "the scheme must be http:// or https://, got \"\(scheme)://\""))
            }
            tls = scheme == "https"
            rest = text[separator.upperBound...]
        }
        // A path would be silently dropped: requests keep their own path.
        if rest.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" || $0 == "@" }) {
            return .failure(HostPort.Problem(reason: "a target is [http:// or https://]host:port, without user, path or query"))
        }
        return HostPort.parse(String(rest)).map { address in
            HostPort(host: address.host, port: address.port, isIPv6: address.isIPv6, text: text, tls: tls)
        }
    }
}
