/// A named pool of backend targets.
public struct UpstreamConfig: Sendable, Equatable, Decodable {
    public var name: String
    public var jsonPath: String
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

    public init(from decoder: any Decoder) throws {
        let context = try DecodingContext.from(decoder)
        name = EntryName.check(decoder, context: context)
        jsonPath = ConfigPath.render(decoder.codingPath)
        connectTimeout = context.timeouts.upstreamConnect
        responseTimeout = context.timeouts.upstreamResponse
        if case .array(let raw)? = decoder.jsonValue {
            let elements: [(index: Int, value: HostPort)] = ObjectReader.elements(
                of: try decoder.unkeyedContainer(), context: context)
            targets = elements.map(\.value)
            if raw.isEmpty { context.report(jsonPath, "at least one target is required") }
            for (i, element) in elements.enumerated() where elements[..<i].contains(where: { $0.value == element.value }) {
                context.report(ConfigPath.child(jsonPath, index: element.index), "\(element.value) is listed twice")
            }
            return
        }
        guard case .object? = decoder.jsonValue else { throw decoder.mismatch("a list of targets or an object") }
        let r = try ObjectReader(decoder, known: ConfigKeys.upstream)
        let elements = r.require("targets", as: OneOrMany<HostPort>.self)?.elements ?? []
        targets = elements.map(\.value)
        if case .array(let raw)? = r.rawValue("targets"), raw.isEmpty { r.report("targets", "at least one target is required") }
        if case .array? = r.rawValue("targets") { r.reportRepeats("targets", elements) { $0.text } }
        maxIdle = r.int("max_idle", default: maxIdle, in: 0...100_000)
        idleTimeout = r.duration("idle_timeout", default: idleTimeout, in: TimeoutsConfig.range)
        connectTimeout = r.duration("connect_timeout", default: connectTimeout, in: TimeoutsConfig.range)
        responseTimeout = r.duration("response_timeout", default: responseTimeout, in: TimeoutsConfig.range)
        ejectAfter = r.int("eject_after", default: ejectAfter, in: 1...1_000)
        ejectFor = r.duration("eject_for", default: ejectFor, in: TimeoutsConfig.range)
    }
}
