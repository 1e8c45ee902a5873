/// The paths the built-in issuer answers on (`issuer.endpoints`). They are matched before any route.
public struct IssuerEndpoints: Sendable, Equatable, Decodable {
    public var login = "/auth/login"
    public var refresh = "/auth/refresh"
    public var logout = "/auth/logout"
    /// Served only when `register.enabled`.
    public var register = "/auth/register"
    public var jwks = "/.well-known/jwks.json"
    public var jsonPath: String

    init(jsonPath: String) { self.jsonPath = jsonPath }

    public init(from decoder: any Decoder) throws {
        jsonPath = ConfigPath.render(decoder.codingPath)
        let r = try ObjectReader(decoder, known: ConfigKeys.issuerEndpoints)
        login = IssuerEndpoints.path(r, "login") ?? login
        refresh = IssuerEndpoints.path(r, "refresh") ?? refresh
        logout = IssuerEndpoints.path(r, "logout") ?? logout
        register = IssuerEndpoints.path(r, "register") ?? register
        jwks = IssuerEndpoints.path(r, "jwks") ?? jwks
        let all = self.all
        for (i, endpoint) in all.enumerated() {
            guard let earlier = all[..<i].first(where: { $0.path == endpoint.path }) else { continue }
            // Point at a key the operator wrote: the later one, unless only the earlier one was written.
            let (at, other) = r.has(endpoint.key) || !r.has(earlier.key) ? (endpoint, earlier) : (earlier, endpoint)
            r.report(at.key, "\(at.path) is also the \(other.key) endpoint; each endpoint needs its own path")
        }
    }

    /// Every endpoint as (config key, path), register included.
    public var all: [(key: String, path: String)] {
        [("login", login), ("refresh", refresh), ("logout", logout), ("register", register), ("jwks", jwks)]
    }

    /// Exact paths in the normalised form requests are compared in, so an endpoint can neither be missed nor shadowed
    /// by another spelling.
    private static func path(_ r: ObjectReader, _ key: String) -> String? {
        guard let path = r.decode(key, as: String.self) else { return nil }
        let problem =
            path.contains("%")
            ? "must not contain percent-encodings" : RouteMatch.check(path, allowEncodedSlash: false)
        if let problem {
            r.report(key, problem)
            return nil
        }
        return path
    }
}
