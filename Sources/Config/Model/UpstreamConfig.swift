/// A named pool of backend targets.
public struct UpstreamConfig: Sendable, Equatable, Decodable {
    public var name: String
    public var jsonPath: String
    /// `tls` is true for targets written "https://host:port".
    public var targets: [HostPort]
    /// Idle connections kept per worker per target.
    /// Enough for the concurrency of a busy worker: fewer makes bursts of completed responses close
    /// connections that are needed again a moment later (idle_timeout closes the surplus).
    public var maxIdle = 256
    public var idleTimeout: Duration = .seconds(60)
    public var connectTimeout: Duration
    public var responseTimeout: Duration
    /// Consecutive failures that take a target out of rotation.
    public var ejectAfter = 3
    public var ejectFor: Duration = .seconds(10)
    /// Present exactly when a target uses https (the defaults when the file has no `tls` object).
    public var tls: UpstreamTLSConfig?

    public init(from decoder: any Decoder) throws {
        let context = try DecodingContext.from(decoder)
        name = EntryName.check(decoder, context: context)
        jsonPath = ConfigPath.render(decoder.codingPath)
        connectTimeout = context.timeouts.upstreamConnect
        responseTimeout = context.timeouts.upstreamResponse
        if case .array(let raw)? = decoder.jsonValue {
            let elements: [(index: Int, value: TargetAddress)] = ObjectReader.elements(
                of: try decoder.unkeyedContainer(), context: context)
            targets = elements.map(\.value.value)
            if raw.isEmpty { context.report(jsonPath, "at least one target is required") }
            UpstreamConfig.reportRepeats(elements, at: jsonPath, context: context)
            if targets.contains(where: \.tls) { tls = UpstreamTLSConfig(jsonPath: ConfigPath.child(jsonPath, "tls")) }
            return
        }
        guard case .object? = decoder.jsonValue else { throw decoder.mismatch("a list of targets or an object") }
        let r = try ObjectReader(decoder, known: ConfigKeys.upstream)
        let elements = r.require("targets", as: OneOrMany<TargetAddress>.self)?.elements ?? []
        targets = elements.map(\.value.value)
        if case .array(let raw)? = r.rawValue("targets"), raw.isEmpty { r.report("targets", "at least one target is required") }
        if case .array? = r.rawValue("targets") { UpstreamConfig.reportRepeats(elements, at: r.path("targets"), context: context) }
        maxIdle = r.int("max_idle", default: maxIdle, in: 0...100_000)
        idleTimeout = r.duration("idle_timeout", default: idleTimeout, in: TimeoutsConfig.range)
        connectTimeout = r.duration("connect_timeout", default: connectTimeout, in: TimeoutsConfig.range)
        responseTimeout = r.duration("response_timeout", default: responseTimeout, in: TimeoutsConfig.range)
        ejectAfter = r.int("eject_after", default: ejectAfter, in: 1...1_000)
        ejectFor = r.duration("eject_for", default: ejectFor, in: TimeoutsConfig.range)
        tls = r.decode("tls", as: UpstreamTLSConfig.self)
        if targets.contains(where: \.tls) {
            tls = tls ?? UpstreamTLSConfig(jsonPath: r.path("tls"))
        } else if r.has("tls"), !targets.isEmpty {
            r.report("tls", "no target uses https; write targets as \"https://host:port\" to connect to them with TLS")
        }
    }

    /// One socket address is one target, whichever scheme each copy names.
    private static func reportRepeats(
        _ elements: [(index: Int, value: TargetAddress)], at path: String, context: DecodingContext
    ) {
        for (i, element) in elements.enumerated() {
            let target = element.value.value
            let same = { (other: TargetAddress) in other.value.host == target.host && other.value.port == target.port }
            guard let earlier = elements[..<i].first(where: { same($0.value) }) else { continue }
            let message =
                earlier.value.value.text == target.text
                ? "\(target) is listed twice" : "\(target) is the same target as \(earlier.value.value)"
            context.report(ConfigPath.child(path, index: element.index), message)
        }
    }
}
