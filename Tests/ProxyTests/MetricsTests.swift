import Config
import EventLoop
import Foundation
import Glibc
import Synchronization
import Testing

@testable import Proxy

/// The Prometheus renderer byte for byte, and the gateway's request metrics end to end: requests of every
/// kind through a real gateway, then a scrape of the admin server.
@Suite struct PrometheusTextTests {
    @Test func counterWithLabelsAndHelp() {
        var t = PrometheusText()
        t.family("x_total", .counter, help: "Things.")
        t.sample("x_total", labels: [("route", "a"), ("decision", "allowed")], UInt64(3))
        t.sample("x_total", 7)
        #expect(t.text == "# HELP x_total Things.\n# TYPE x_total counter\nx_total{route=\"a\",decision=\"allowed\"} 3\nx_total 7\n")
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("back\\slash", "back\\\\slash"),
        ("quo\"te", "quo\\\"te"),
        ("new\nline", "new\\nline"),
        ("ünïcode", "ünïcode"),
    ])
    func labelValuesAreEscaped(value: String, escaped: String) {
        var t = PrometheusText()
        t.sample("m", labels: [("l", value)], 1)
        #expect(t.text == "m{l=\"\(escaped)\"} 1\n")
    }

    @Test func helpTextIsEscaped() {
        var t = PrometheusText()
        t.family("m", .gauge, help: "a\\b\nc \"q\"")
        #expect(t.text == "# HELP m a\\\\b\\nc \"q\"\n# TYPE m gauge\n")
    }

    @Test func histogramBucketsAreCumulativeAndEndInInf() {
        var t = PrometheusText()
        t.histogram("d_seconds", [("route", "r")], bounds: [0.1, 1], counts: [1, 0, 2], sum: 2.5)
        #expect(
            t.text == """
                d_seconds_bucket{route="r",le="0.1"} 1
                d_seconds_bucket{route="r",le="1"} 1
                d_seconds_bucket{route="r",le="+Inf"} 3
                d_seconds_sum{route="r"} 2.5
                d_seconds_count{route="r"} 3

                """)
    }

    @Test(arguments: [
        (1.0, "1"), (10.0, "10"), (0.0005, "0.0005"), (2.5, "2.5"), (0.0, "0"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"),
    ])
    func numbersFormatAsPrometheusParsesThem(value: Double, text: String) {
        #expect(PrometheusText.format(value) == text)
    }

    /// The request path's literal bucket bounds are the rendered ones: each bound is inclusive (`le`).
    @Test func bucketsMatchBounds() {
        #expect(LatencyBuckets.boundsNanos.count == LatencyBuckets.bounds.count)
        for (i, bound) in LatencyBuckets.boundsNanos.enumerated() {
            #expect(LatencyBuckets.bucket(bound) == i)
            #expect(LatencyBuckets.bucket(bound + 1) == i + 1)
        }
    }

    @Test(arguments: [(UInt64(0), 0), (500_000, 0), (500_001, 1), (1_000_000, 1), (9_000_000_000, 13), (10_000_000_001, 14)])
    func observationsLandInTheirBucket(nanos: UInt64, bucket: Int) {
        let block = CounterBlock(count: LatencyBuckets.slots)
        LatencyBuckets.observe(nanos, in: block, at: 0)
        let s = LatencyBuckets.read(block, at: 0)
        #expect(s.counts.firstIndex(of: 1) == bucket)
        #expect(s.count == 1)
        #expect(s.sumNanos == nanos)
    }
}

@Suite struct MetricsKeyingTests {
    static func snapshot(routes: [String]) throws -> Snapshot {
        let list = "[" + routes.map { #"{"name": "\#($0)", "prefix": "/\#($0)", "upstream": "backend", "auth": "public"}"# }.joined(separator: ",") + "]"
        let json = GatewayHarness.config(routes: list).replacingOccurrences(of: "{{UPSTREAM}}", with: "127.0.0.1:9")
        guard case .success(let cfg) = ConfigLoader.decode(Array(json.utf8), baseDirectory: nil),
            case .success(let snap) = SnapshotBuilder.build(cfg, environment: { _ in nil })
        else { throw GatewayHarness.StartError(description: "config") }
        return snap
    }

    /// A reload that reorders, drops and adds routes: totals follow the route's name, and a dropped route's
    /// totals stay (counters never go back).
    @Test func totalsFollowTheRouteNameAcrossAReload() throws {
        let registry = GatewayMetrics()
        let metrics = WorkerMetrics(snapshot: try Self.snapshot(routes: ["a", "b"]), registry: registry)
        metrics.exchangeEnded(route: 0, local: nil, status: 200, decision: .allowed, nanos: 1000)
        metrics.exchangeEnded(route: 1, local: nil, status: 401, decision: .missingToken, nanos: 1000)
        metrics.exchangeEnded(route: -1, local: nil, status: 404, decision: .clientError, nanos: 1000)

        metrics.adopt(snapshot: try Self.snapshot(routes: ["c", "a"]))
        metrics.exchangeEnded(route: 1, local: nil, status: 200, decision: .allowed, nanos: 1000)
        metrics.exchangeEnded(route: 0, local: nil, status: 503, decision: .gatewayError, nanos: 1000)

        let s = registry.sample()
        #expect(s.requests(route: "a", statusClass: 1, decision: .allowed) == 2)
        #expect(s.requests(route: "b", statusClass: 3, decision: .missingToken) == 1)
        #expect(s.requests(route: "c", statusClass: 4, decision: .gatewayError) == 1)
        #expect(s.requests(route: WorkerMetrics.unmatchedRoute, statusClass: 3, decision: .clientError) == 1)
        #expect(s.routes.first { $0.name == "a" }?.duration.count == 2)
        #expect(s.routes.first { $0.name == "b" }?.current == false)
        #expect(s.routes.first { $0.name == "c" }?.current == true)
    }

    @Test(arguments: [
        (Rejection.missingToken, MetricsDecision.missingToken), (.invalidToken(.expired), .tokenExpired),
        (.invalidToken(.badSignature), .invalidToken), (.ambiguousToken, .invalidToken), (.tokenRevoked, .tokenRevoked),
        (.forbidden(missing: []), .forbidden), (.corsOriginDenied, .forbidden), (.notFound, .clientError),
        (.payloadTooLarge, .clientError), (.upstreamUnavailable, .gatewayError), (.upstreamTimeout, .gatewayError),
        (.overloaded, .gatewayError),
    ])
    func rejectionsGroupByStatusAndReason(rejection: Rejection, decision: MetricsDecision) {
        #expect(MetricsDecision(rejection) == decision)
    }
}

/// Scrapes through a real admin server; `Scrape` parses the text into series → value.
struct Scrape {
    let text: String
    let series: [String: Double]

    init(port: UInt16) throws {
        let r = try TestClient.request(port: port, path: "/metrics")
        guard r.status == 200 else { throw GatewayHarness.StartError(description: "scrape status \(r.status)") }
        text = r.bodyText
        var series: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            series[String(line[..<space])] = Double(line[line.index(after: space)...])
        }
        self.series = series
    }

    subscript(_ key: String) -> Double? { series[key] }

    func requests(_ route: String, _ statusClass: String, _ decision: String) -> Double? {
        series[#"gateway_requests_total{route="\#(route)",status_class="\#(statusClass)",decision="\#(decision)"}"#]
    }

    /// Scrapes until `condition` holds (gauges are published at the end of a worker's loop iteration, a moment
    /// after the answer that a test waits for), at most for `seconds`.
    static func until(port: UInt16, seconds: Double = 5, _ condition: (Scrape) -> Bool) throws -> Scrape {
        let deadline = monotonicSeconds() + seconds
        var s = try Scrape(port: port)
        while !condition(s) && monotonicSeconds() < deadline { s = try Scrape(port: port) }
        return s
    }
}

/// An admin server on an ephemeral port over `gateway`'s metrics; stopped by `stop()`.
final class AdminFixture {
    let server: AdminServer
    let port: UInt16
    let reloads = Atomic<Int>(0)

    init(
        _ gateway: Gateway, issuersWithoutKeys: @escaping @Sendable () -> [String] = { [] },
        reloadResult: (ok: Bool, message: String) = (true, "reloaded")
    ) throws {
        guard let address = SocketAddress(parsing: "127.0.0.1:0") else { throw GatewayHarness.StartError(description: "address") }
        let box = Counter()
        let result = reloadResult
        server = AdminServer(
            address: address, metrics: gateway.metrics,
            handlers: AdminHandlers(version: "1.2.3-test", issuersWithoutKeys: issuersWithoutKeys) {
                box.value.add(1, ordering: .relaxed)
                return result
            })
        try server.start()
        port = server.boundAddress?.port ?? 0
        counter = box
    }

    private let counter: Counter
    var reloadCalls: Int { counter.value.load(ordering: .relaxed) }

    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    func stop() { server.stop() }
}

@Suite(.serialized) struct GatewayMetricsTests {
    static let routes = [
        #"{"name": "secure", "prefix": "/api/secure", "upstream": "backend", "auth": "authenticated", "rate_limit": false}"#,
        #"{"name": "admin", "prefix": "/api/admin", "upstream": "backend", "auth": {"any": ["admin"]}, "rate_limit": false}"#,
        #"{"name": "limited", "prefix": "/api/limited", "upstream": "backend", "auth": "public", "rate_limit": {"rate": "1/min", "burst": 1}}"#,
        #"{"name": "open", "prefix": "/open", "upstream": "backend", "auth": "public", "rate_limit": false}"#,
    ]

    @Test func aScrapeCountsEveryKindOfRequestExactly() throws {
        try AuthFixtures.withGateway(routes: Self.routes) { gw, upstream in
            upstream.handle("/open/fail", .respond(status: 500, headers: [], body: [], framing: .contentLength))
            let admin = try AdminFixture(gw.gateway)
            defer { admin.stop() }
            let port = gw.port
            let valid = try AuthFixtures.hs256()
            let expired = try AuthFixtures.hs256(expIn: -120)

            for _ in 0..<3 { #expect(try TestClient.request(port: port, path: "/open/x").status == 200) }
            #expect(try TestClient.request(port: port, path: "/open/fail").status == 500)
            #expect(try TestClient.request(port: port, path: "/api/secure").status == 401)
            #expect(try TestClient.request(port: port, path: "/api/secure", headers: [AuthFixtures.bearer("abc.def.ghi")]).status == 401)
            #expect(try TestClient.request(port: port, path: "/api/secure", headers: [AuthFixtures.bearer(expired)]).status == 401)
            for _ in 0..<2 {
                #expect(try TestClient.request(port: port, path: "/api/secure", headers: [AuthFixtures.bearer(valid)]).status == 200)
            }
            #expect(try TestClient.request(port: port, path: "/api/admin", headers: [AuthFixtures.bearer(valid)]).status == 403)
            #expect(try TestClient.request(port: port, path: "/api/limited").status == 200)
            #expect(try TestClient.request(port: port, path: "/api/limited").status == 429)
            #expect(try TestClient.request(port: port, path: "/nowhere").status == 404)
            // One keep-alive connection stays open through the scrape.
            let held = try TestClient(port: port)
            defer { held.close() }
            held.send(method: "GET", path: "/open/held")
            #expect(try held.readResponse().status == 200)

            // Gauges and cache counters are published at most every 100 ms: wait for a publication after the last request.
            let s = try Scrape.until(port: admin.port) { $0["gateway_open_connections"] == 1 && ($0["gateway_jwt_cache_hits_total"] ?? 0) >= 1 }
            #expect(s.requests("open", "2xx", "allowed") == 4)
            #expect(s.requests("open", "5xx", "allowed") == 1)
            #expect(s.requests("secure", "4xx", "missing_token") == 1)
            #expect(s.requests("secure", "4xx", "invalid_token") == 1)
            #expect(s.requests("secure", "4xx", "token_expired") == 1)
            #expect(s.requests("secure", "2xx", "allowed") == 2)
            #expect(s.requests("admin", "4xx", "forbidden") == 1)
            #expect(s.requests("limited", "2xx", "allowed") == 1)
            #expect(s.requests("limited", "4xx", "rate_limited") == 1)
            #expect(s.requests("(none)", "4xx", "client_error") == 1)
            #expect(s.series.keys.filter { $0.hasPrefix("gateway_requests_total{") }.count == 10)
            #expect(s[#"gateway_request_duration_seconds_count{route="secure"}"#] == 5)
            #expect(s[#"gateway_request_duration_seconds_bucket{route="open",le="+Inf"}"#] == 5)
            // Every response that came back from the upstream: 5 open, 2 secure, 1 limited.
            #expect(s[#"gateway_upstream_duration_seconds_count{upstream="backend"}"#] == 8)
            #expect(s[#"gateway_jwt_verifications_total{result="ok"}"#] == 3)
            #expect(s[#"gateway_jwt_verifications_total{result="failed"}"#] == 2)
            #expect((s["gateway_jwt_cache_hits_total"] ?? 0) >= 1)
            #expect(s["gateway_open_connections"] == 1)
            #expect((s["gateway_ratelimit_keys"] ?? 0) >= 1)
            #expect(s[#"gateway_upstream_failures_total{upstream="backend",kind="connect"}"#] == 0)
            #expect(s[#"gateway_info{version="1.2.3-test"}"#] == 1)
            // The held connection's upstream connection is idle in the pool now.
            let pooled = try Scrape.until(port: admin.port) { ($0[#"gateway_upstream_connections{upstream="backend",state="idle"}"#] ?? 0) >= 1 }
            #expect(pooled[#"gateway_upstream_connections{upstream="backend",state="busy"}"#] == 0)
        }
    }

    @Test func reloadsAreCounted() throws {
        try AuthFixtures.withGateway(routes: Self.routes) { gw, _ in
            let admin = try AdminFixture(gw.gateway)
            defer { admin.stop() }
            gw.gateway.metrics.recordReload(ok: true)
            gw.gateway.metrics.recordReload(ok: true)
            gw.gateway.metrics.recordReload(ok: false)
            let s = try Scrape(port: admin.port)
            #expect(s[#"gateway_reloads_total{result="ok"}"#] == 2)
            #expect(s[#"gateway_reloads_total{result="failed"}"#] == 1)
            #expect(s[#"gateway_tls_handshakes_total{result="ok"}"#] == 0)
        }
    }

    @Test func upstreamFailuresAndEjectionsAreCounted() throws {
        let deadPort = try AdminTests.closedPort()
        let config = GatewayHarness.config(routes: #"[{"name": "open", "prefix": "/", "upstream": "backend", "auth": "public", "rate_limit": false}]"#)
            .replacingOccurrences(of: #""backend": ["{{UPSTREAM}}"]"#, with: #""backend": {"targets": ["127.0.0.1:\#(deadPort)"], "eject_after": 2}"#)
        let gw = try GatewayHarness(config: config)
        defer { gw.stop() }
        let admin = try AdminFixture(gw.gateway)
        defer { admin.stop() }
        for _ in 0..<3 { #expect(try TestClient.request(port: gw.port, path: "/x").status == 502) }
        let s = try Scrape(port: admin.port)
        #expect(s[#"gateway_upstream_failures_total{upstream="backend",kind="connect"}"#] == 3)
        #expect(s[#"gateway_upstream_ejections_total{upstream="backend"}"#] == 1)
        #expect(s.requests("open", "5xx", "gateway_error") == 3)
    }
}
