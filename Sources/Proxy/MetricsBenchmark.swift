import EventLoop

/// A bounded micro-benchmark of the metrics hooks, for the CLI: the per-request hook (`logExchange`'s
/// counter and histogram update) on one thread, and a full scrape.
public enum MetricsBenchmark {
    /// Runs `iterations` (1k...100M) request hooks over `routes` (1...1000) routes with durations spread like
    /// a healthy gateway's (mostly under a millisecond), then renders the scrape a few times.
    /// Returns nanoseconds per hook and per scrape (with `routes` routes and one worker).
    public static func run(iterations: Int, routes: Int) -> (nsPerHook: Double, nsPerScrape: Double) {
        let n = min(max(iterations, 1000), 100_000_000)
        let routeCount = min(max(routes, 1), 1000)
        let registry = GatewayMetrics()
        let metrics = WorkerMetrics(registry: registry)
        metrics.adopt(routeNames: (0..<routeCount).map { "route-\($0)" }, upstreamNames: ["backend"], limiter: nil)
        // Inputs made beforehand (a ring that stays in L1), so the loop times the hook, not the generator.
        let statuses = [200, 200, 200, 201, 204, 304, 401, 404, 429, 502]
        var random: UInt64 = 0x9E37_79B9_7F4A_7C15
        var inputs: [(route: Int, status: Int, decision: MetricsDecision, nanos: UInt64)] = []
        for i in 0..<1024 {
            random ^= random >> 12
            random ^= random << 25
            random ^= random >> 27
            let r = random &* 0x2545_F491_4F6C_DD1D
            let status = statuses[Int(r % UInt64(statuses.count))]
            let decision: MetricsDecision = status == 401 ? .missingToken : status == 429 ? .rateLimited : .allowed
            inputs.append((i % routeCount, status, decision, 50_000 + (r >> 40) % 2_000_000))
        }
        let start = Clock.monotonicNanos()
        inputs.withUnsafeBufferPointer { ring in
            for i in 0..<n {
                let x = ring[i & 1023]
                metrics.exchangeEnded(route: x.route, local: nil, status: x.status, decision: x.decision, nanos: x.nanos)
            }
        }
        let hookNanos = Clock.monotonicNanos() - start
        let scrapes = 20
        let scrapeStart = Clock.monotonicNanos()
        var bytes = 0
        for _ in 0..<scrapes { bytes &+= registry.prometheusText(version: "bench").count }
        let scrapeNanos = Clock.monotonicNanos() - scrapeStart
        precondition(bytes > 0, "a scrape renders text")
        return (Double(hookNanos) / Double(n), Double(scrapeNanos) / Double(scrapes))
    }
}
