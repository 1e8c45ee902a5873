/// The whole `gateway.json`, as plain values. The snapshot builder turns it into runtime objects.
///
/// Every element that later stages may complain about keeps its `jsonPath` ("routes[2]") so their
/// messages point into the file the same way the loader's do.
public struct GatewayConfig: Sendable, Equatable, Decodable {
    /// Every listener's address, in file order (`listeners.map(\.address)`).
    public var listen: [HostPort]
    /// The `listen` entries with their TLS settings, in file order.
    public var listeners: [ListenerConfig]
    /// nil means "auto": one worker per available CPU.
    public var workers: Int?
    /// Sent in `WWW-Authenticate: Bearer realm="…"`.
    public var realm: String
    public var limits: LimitsConfig
    public var timeouts: TimeoutsConfig
    /// Sorted by name.
    public var upstreams: [UpstreamConfig]
    /// Sorted by name.
    public var issuers: [IssuerConfig]
    /// The database for the built-in issuer and revocations; nil when the file has no `store`.
    public var store: StoreConfig?
    /// The gateway's own token issuer; nil when the file has no `issuer`.
    public var issuer: IssuerSectionConfig?
    public var rateLimit: RateLimitConfig
    /// In file order: the first match wins.
    public var routes: [RouteConfig]
    public var log: LogConfig
    /// The admin listener; nil when the file has no `admin`.
    public var admin: AdminConfig?
    /// Where the running gateway writes its pid, for `gateway reload`; nil: no pid file.
    public var pidFile: ConfigFilePath?
    /// Directory that relative file paths were resolved against.
    public var baseDirectory: String

    public init(from decoder: any Decoder) throws {
        let r = try ObjectReader(decoder, known: ConfigKeys.root)
        let context = r.context
        _ = r.decode("$schema", as: String.self)
        baseDirectory = context.baseDirectory

        let entries = r.require("listen", as: OneOrMany<ListenerConfig>.self)?.elements ?? []
        listeners = entries.map(\.value)
        listen = listeners.map(\.address)
        if case .array(let elements)? = r.rawValue("listen"), elements.isEmpty {
            r.report("listen", "at least one address is required")
        }
        r.reportRepeats("listen", entries.map { ($0.index, $0.value.address) }.filter { !$0.1.text.isEmpty }) { $0.text }
        workers = r.decode("workers", as: WorkerCount.self)?.count
        realm = r.string("realm", default: "gateway")
        if realm.isEmpty || realm.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0x22 || $0 == 0x5C }) {
            r.report("realm", "must be non-empty without quotes, backslashes or control characters (it is sent in WWW-Authenticate)")
        }

        // Read first: upstream and route defaults come from these sections.
        limits = r.decode("limits", as: LimitsConfig.self) ?? LimitsConfig()
        context.limits = limits
        timeouts = r.decode("timeouts", as: TimeoutsConfig.self) ?? TimeoutsConfig()
        context.timeouts = timeouts

        upstreams = (r.require("upstreams", as: NamedEntries<UpstreamConfig>.self)?.values ?? []).sorted { $0.name < $1.name }
        if case .object(let object)? = r.rawValue("upstreams"), object.isEmpty {
            r.report("upstreams", "at least one upstream is required")
        }
        issuers = (r.decode("issuers", as: NamedEntries<IssuerConfig>.self)?.values ?? []).sorted { $0.name < $1.name }
        store = r.decode("store", as: StoreConfig.self)
        issuer = r.decode("issuer", as: IssuerSectionConfig.self)
        rateLimit = r.decode("rate_limit", as: RateLimitConfig.self) ?? RateLimitConfig()
        routes = r.list("routes", of: RouteConfig.self) ?? []
        if !r.has("routes") {
            r.report("routes", "missing required key")
        } else if routes.isEmpty, case .array(let elements)? = r.rawValue("routes"), elements.isEmpty {
            r.report("routes", "at least one route is required")
        }
        log = r.decode("log", as: LogConfig.self) ?? LogConfig()
        admin = r.decode("admin", as: AdminConfig.self)
        pidFile = r.decode("pid_file", as: ConfigFilePath.self)
    }
}

/// `"auto"` or a worker count from 1 to 256.
struct WorkerCount: Decodable {
    let count: Int?

    init(from decoder: any Decoder) throws {
        switch decoder.jsonValue {
        case .string("auto")?: count = nil
        case .number(let n)?:
            guard let value = n.int64, (1...256).contains(value) else {
                throw decoder.invalid("must be \"auto\" or a whole number from 1 to 256, got \(n.text)")
            }
            count = Int(value)
        default: throw decoder.mismatch("\"auto\" or a whole number from 1 to 256")
        }
    }
}

/// A single value or a list of them ("listen": "127.0.0.1:8080" or ["127.0.0.1:8080", "[::1]:8080"]).
struct OneOrMany<Element: Decodable>: Decodable {
    /// With each element's index in the list (0 for a single value).
    let elements: [(index: Int, value: Element)]

    init(from decoder: any Decoder) throws {
        if case .array? = decoder.jsonValue {
            elements = ObjectReader.elements(of: try decoder.unkeyedContainer(), context: try DecodingContext.from(decoder))
        } else {
            elements = [(0, try Element(from: decoder))]
        }
    }
}

/// An object whose member names are chosen by the operator; each element reads its own name.
struct NamedEntries<Element: Decodable>: Decodable {
    let values: [Element]

    init(from decoder: any Decoder) throws {
        let context = try DecodingContext.from(decoder)
        let container = try decoder.container(keyedBy: ConfigKey.self)
        var values: [Element] = []
        for name in container.allKeys {
            do {
                values.append(try Element(from: try container.superDecoder(forKey: name)))
            } catch {
                context.record(error, at: decoder.codingPath + [name])
            }
        }
        self.values = values
    }
}

/// Names of upstreams and issuers appear in logs and summaries, so they stay simple.
enum EntryName {
    static let rule = "names use only letters, digits, \"_\", \"-\" and \".\""

    static func check(_ decoder: any Decoder, context: DecodingContext) -> String {
        let name = decoder.codingPath.last?.stringValue ?? ""
        if !isValid(name) { context.report(decoder.codingPath, rule) }
        return name
    }

    static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
                || b == 0x2E
        }
    }
}
