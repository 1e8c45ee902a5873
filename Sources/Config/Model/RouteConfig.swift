/// One route: what it matches, who may pass, and where it forwards.
public struct RouteConfig: Sendable, Equatable, Decodable {
    /// Given, or derived as "<METHODS> <host><path>" ("GET,POST /api/", "* /health").
    public var name: String
    /// True when `name` was not written in the file.
    public var nameIsDerived: Bool
    public var jsonPath: String
    public var match: RouteMatch
    /// Empty: every method.
    public var methods: [String] = []
    /// Lowercased; nil matches any host.
    public var host: String?
    public var upstream: String
    public var auth: AuthConfig
    public var token = TokenSources()
    /// Pass the client's Authorization header upstream (stripped by default).
    public var forwardAuthorization = false
    public var allowEncodedSlash = false
    public var rateLimit: RouteRateLimit = .inherit
    public var maxBodyBytes: Int
    /// Cross-origin access for browsers; nil answers no preflights and adds no CORS headers.
    public var cors: CORSConfig?

    public init(from decoder: any Decoder) throws {
        let context = try DecodingContext.from(decoder)
        jsonPath = ConfigPath.render(decoder.codingPath)
        let r = try ObjectReader(decoder, known: ConfigKeys.route)
        allowEncodedSlash = r.bool("allow_encoded_slash", default: false)
        match = .exact("/")
        switch (r.has("path"), r.has("prefix")) {
        case (true, true): r.report("exactly one of path or prefix is allowed, found both")
        case (false, false): r.report("exactly one of path or prefix is required")
        case (true, false):
            if let path = r.decode("path", as: String.self) {
                match = .exact(path)
                RouteMatch.check(path, allowEncodedSlash: allowEncodedSlash).map { r.report("path", $0) }
            }
        case (false, true):
            if let prefix = r.decode("prefix", as: String.self) {
                match = .prefix(prefix)
                RouteMatch.check(prefix, allowEncodedSlash: allowEncodedSlash).map { r.report("prefix", $0) }
            }
        }
        if let list = r.indexedList("methods", of: MethodName.self) {
            methods = list.map(\.value.value)
            if case .array(let elements)? = r.rawValue("methods"), elements.isEmpty {
                r.report("methods", "must not be empty; omit methods to allow every method")
            }
            r.reportRepeats("methods", list.map { ($0.index, $0.value.value) }) { $0 }
        }
        if let host = r.decode("host", as: String.self) {
            self.host = host.lowercased()
            if !Names.isHost(host.lowercased()) { r.report("host", "\"\(host)\" is not a valid host name") }
        }
        upstream = r.require("upstream", as: String.self) ?? ""
        auth = r.require("auth", as: AuthConfig.self) ?? AuthConfig(jsonPath: r.path("auth"), rule: .public, methodRules: [])
        if !methods.isEmpty {
            for rule in auth.methodRules {
                for method in rule.methods where !methods.contains(method) {
                    context.report(rule.jsonPath, "\(method) is not one of this route's methods (\(methods.joined(separator: ", ")))")
                }
            }
        }
        token = r.decode("token", as: TokenSources.self) ?? token
        forwardAuthorization = r.bool("forward_authorization", default: false)
        rateLimit = r.decode("rate_limit", as: RouteRateLimit.self) ?? .inherit
        maxBodyBytes = r.size("max_body_bytes", default: context.limits.maxBodyBytes, in: 0...(1 << 40))
        context.corsDefaultMethods = methods.isEmpty ? CORSConfig.defaultMethods : methods
        cors = r.decode("cors", as: CORSConfig.self)
        let given = r.decode("name", as: NonEmptyString.self)?.value
        name = given ?? "\(methods.isEmpty ? "*" : methods.joined(separator: ",")) \(host ?? "")\(match.pattern)"
        nameIsDerived = given == nil
    }
}

public enum RouteMatch: Sendable, Equatable {
    case exact(String)
    case prefix(String)

    public var isPrefix: Bool {
        if case .prefix = self { return true }
        return false
    }

    /// The path or prefix as written.
    public var pattern: String {
        switch self {
        case .exact(let p), .prefix(let p): return p
        }
    }

    /// Patterns must already be in the normalised form requests are compared in; otherwise a route
    /// could never match, or a policy on "/admin" could be sidestepped by a spelling the pattern misses.
    static func check(_ pattern: String, allowEncodedSlash: Bool) -> String? {
        guard pattern.hasPrefix("/") else { return "must start with \"/\"" }
        if pattern.contains("//") { return "must not contain \"//\"" }
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: false)
        if segments.contains(where: { $0 == "." || $0 == ".." }) { return "must not contain \".\" or \"..\" segments" }
        let bytes = Array(pattern.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, let high = hex(bytes[i + 1]), let low = hex(bytes[i + 2]) else {
                    return "has an incomplete percent-encoding"
                }
                let decoded = high << 4 | low
                if decoded == UInt8(ascii: "/") {
                    if !allowEncodedSlash { return "contains an encoded slash (%2F); set allow_encoded_slash to match it" }
                } else if isUnreserved(decoded) {
                    return "percent-encodes \"\(Character(Unicode.Scalar(decoded)))\"; write it literally"
                }
                if bytes[i + 1...i + 2].contains(where: { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f") }) {
                    return "percent-encodings must use uppercase hex digits"
                }
                i += 3
                continue
            }
            guard isUnreserved(b) || "!$&'()*+,;=:@/".utf8.contains(b) else {
                return "contains a character that must be percent-encoded or is not allowed in a path (\"?\" and \"#\" start a query or fragment)"
            }
            i += 1
        }
        return nil
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    private static func isUnreserved(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || "-._~".utf8.contains(b)
    }
}

/// An HTTP method name: a token, uppercase (methods are case-sensitive, so "get" would never match).
struct MethodName: Decodable {
    let value: String

    init(from decoder: any Decoder) throws {
        value = try decoder.string(expecting: "a method name such as \"GET\"")
        if let problem = MethodName.check(value) { throw decoder.invalid(problem) }
    }

    static func check(_ name: String) -> String? {
        guard Names.isToken(name) else { return "\"\(name)\" is not a valid method name" }
        guard name == name.uppercased() else { return "method names are case-sensitive: use \"\(name.uppercased())\"" }
        return nil
    }
}

/// Where the gateway looks for a token besides `Authorization: Bearer`.
public struct TokenSources: Sendable, Equatable, Decodable {
    public var cookie: String?
    public var query: String?

    public init() {}

    public init(from decoder: any Decoder) throws {
        let r = try ObjectReader(decoder, known: ConfigKeys.token)
        cookie = r.decode("cookie", as: String.self)
        query = r.decode("query", as: String.self)
        if let cookie, !Names.isToken(cookie) { r.report("cookie", "\"\(cookie)\" is not a valid cookie name") }
        if let query, query.isEmpty || query.utf8.contains(where: { "&=#?+% ".utf8.contains($0) || $0 < 0x20 || $0 >= 0x7F }) {
            r.report("query", "\"\(query)\" is not a plain query parameter name")
        }
    }
}

/// A route's rate limit: inherit the global default, none, or its own.
public enum RouteRateLimit: Sendable, Equatable, Decodable {
    case inherit
    case disabled
    case custom(RouteLimit)

    public init(from decoder: any Decoder) throws {
        switch decoder.jsonValue {
        case .bool(false)?: self = .disabled
        case .object?: self = .custom(try RouteLimit(from: decoder))
        default: throw decoder.mismatch("false or an object with rate and burst")
        }
    }
}

public struct RouteLimit: Sendable, Equatable, Decodable {
    /// Per client address.
    public var perClient: LimitSpec
    /// Per token subject, applied in addition once a token is verified.
    public var bySubject: LimitSpec?
    /// Overrides `rate_limit.headers` for this route.
    public var headers: Bool?

    public init(from decoder: any Decoder) throws {
        let r = try ObjectReader(decoder, known: ConfigKeys.routeRateLimit)
        let (rate, burst) = LimitSpec.read(r)
        perClient = LimitSpec(rate: rate, burst: burst)
        bySubject = r.decode("by_subject", as: LimitSpec.self)
        headers = r.decode("headers", as: Bool.self)
    }
}
