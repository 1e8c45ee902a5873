/// Everything a run needs, validated: the CLI builds one from its flags, tests build one directly.
public struct LoadPlan: Sendable {
    public var target: LoadTarget
    public var catalog: RequestCatalog
    public var connections: Int
    public var threads: Int
    public var duration: Duration
    /// Total requests per second across threads (open loop); nil runs closed loop.
    public var rate: Int?
    public var timeout: Duration
    public var allow429: Bool

    public init(
        target: LoadTarget, catalog: RequestCatalog, connections: Int, threads: Int = 1, duration: Duration,
        rate: Int? = nil, timeout: Duration = .seconds(10), allow429: Bool = false
    ) throws(LoadError) {
        guard connections >= 1, connections <= 100_000 else { throw LoadError("--connections must be 1-100000") }
        guard threads >= 1, threads <= 256 else { throw LoadError("--threads must be 1-256") }
        guard duration > .zero else { throw LoadError("--duration must be positive") }
        if let rate, rate < 1 { throw LoadError("--rate must be at least 1 request per second") }
        guard timeout > .zero else { throw LoadError("--timeout must be positive") }
        self.target = target
        self.catalog = catalog
        self.connections = connections
        // A worker without connections would have nothing to do.
        self.threads = min(threads, connections)
        self.duration = duration
        self.rate = rate
        self.timeout = timeout
        self.allow429 = allow429
    }

    /// The connections of worker `index`: an even split, the first workers taking the remainder.
    func connections(ofWorker index: Int) -> Int {
        connections / threads + (index < connections % threads ? 1 : 0)
    }
}

extension LoadPlan {
    /// Parses "30s", "500ms", "2m", "1h" or plain seconds ("10").
    public static func parseDuration(_ text: String) -> Duration? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, millis) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            // "5ms" must not be read as 5m followed by "s": the longer suffix is tried first.
            guard let n = Int64(number), n >= 0, n <= 1_000_000_000 / millis else { return nil }
            return .milliseconds(n * millis)
        }
        guard let n = Int64(text), n >= 0, n <= 1_000_000 else { return nil }
        return .seconds(n)
    }
}
