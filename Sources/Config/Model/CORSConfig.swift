/// Cross-origin access for browsers (`cors` of a route or of the issuer): which origins may read answers
/// and what their preflights may ask for.
public struct CORSConfig: Sendable, Equatable, Decodable {
    /// Exact origins ("https://app.example.com"), or ["*"].
    public var origins: [String]
    /// True when `origins` is ["*"].
    public var allowsAnyOrigin: Bool
    /// Methods a preflight may ask for.
    public var methods: [String]
    /// Request headers a preflight may ask for.
    public var headers: [String] = ["Authorization", "Content-Type"]
    /// Response headers scripts may read, beyond the safelisted ones (X-Request-Id is always exposed).
    public var exposeHeaders: [String] = []
    /// Send Access-Control-Allow-Credentials, letting browsers include cookies.
    public var credentials = false
    /// How long browsers may cache a preflight answer.
    public var maxAge: Duration = .seconds(600)
    public var jsonPath: String

    /// The preflight methods of a route that matches every method.
    public static let defaultMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
    /// The issuer endpoints take POST (login, refresh, logout, register) and GET (JWKS).
    public static let issuerMethods = ["POST", "GET"]

    /// `defaultMethods` comes from the enclosing route or issuer (`DecodingContext.corsDefaultMethods`).
    public init(from decoder: any Decoder) throws {
        let context = try DecodingContext.from(decoder)
        jsonPath = ConfigPath.render(decoder.codingPath)
        let r = try ObjectReader(decoder, known: ConfigKeys.cors)

        let list = r.indexedList("origins", of: Origin.self) ?? []
        if !r.has("origins") { r.report("origins", "missing required key") }
        origins = list.map(\.value.text)
        if case .array(let elements)? = r.rawValue("origins") {
            if elements.isEmpty { r.report("origins", "at least one origin is required (use [\"*\"] to allow any)") }
            for (index, origin) in list where origin.text == "*" && elements.count > 1 {
                context.report(
                    ConfigPath.child(r.path("origins"), index: index), "\"*\" allows every origin, so it must be the only entry")
            }
        }
        r.reportRepeats("origins", list.map { ($0.index, $0.value.text) }) { $0 }
        allowsAnyOrigin = origins == ["*"]

        methods = context.corsDefaultMethods
        if let list = r.indexedList("methods", of: MethodName.self) {
            methods = list.map(\.value.value)
            if case .array(let elements)? = r.rawValue("methods"), elements.isEmpty {
                r.report("methods", "must not be empty; omit methods to allow the default ones")
            }
            r.reportRepeats("methods", list.map { ($0.index, $0.value.value) }) { $0 }
        }
        headers = CORSConfig.headerList(r, "headers") ?? headers
        exposeHeaders = CORSConfig.headerList(r, "expose_headers") ?? exposeHeaders
        credentials = r.bool("credentials", default: credentials)
        // Browsers refuse a credentialed answer allowed for "*"; echoing every origin instead would let any site
        // read responses made with a user's cookies.
        if credentials, allowsAnyOrigin {
            r.report("credentials", "cannot be true with origins [\"*\"]: credentials need a list of exact origins")
        }
        maxAge = r.duration("max_age", default: maxAge, in: .zero...(.seconds(86_400)))
    }

    private static func headerList(_ r: ObjectReader, _ key: String) -> [String]? {
        guard let list = r.indexedList(key, of: HeaderName.self) else { return nil }
        for (i, element) in list.enumerated()
        where list[..<i].contains(where: { $0.value.value.lowercased() == element.value.value.lowercased() }) {
            r.context.report(
                ConfigPath.child(r.path(key), index: element.index),
                "\(element.value.value) is listed twice (header names are case-insensitive)")
        }
        return list.map(\.value.value)
    }
}

/// An HTTP header name (an RFC 9110 token).
struct HeaderName: Decodable {
    let value: String

    init(from decoder: any Decoder) throws {
        value = try decoder.string(expecting: "a header name such as \"Content-Type\"")
        if !Names.isToken(value) { throw decoder.invalid("\"\(value)\" is not a valid header name") }
    }
}
