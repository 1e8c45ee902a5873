/// The gateway's metric families, written from one summed sample.
enum MetricsExposition {
    static let statusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"]

    static func render(_ s: MetricsSample, version: String) -> [UInt8] {
        var t = PrometheusText()
        let bounds = LatencyBuckets.bounds

        t.family("gateway_info", .gauge, help: "Gateway build information.")
        t.sample("gateway_info", labels: [("version", version)], 1)

        t.family("gateway_requests_total", .counter, help: "Requests answered, by route, status class and decision.")
        for r in s.routes {
            for c in 0..<5 {
                for d in MetricsDecision.allCases {
                    let n = r.requests[c * WorkerMetrics.decisionCount + Int(d.rawValue)]
                    // Only combinations that happened: most of the 45 per route never do.
                    if n > 0 { t.sample("gateway_requests_total", labels: [("route", r.name), ("status_class", statusClasses[c]), ("decision", d.label)], n) }
                }
            }
        }

        t.family("gateway_request_duration_seconds", .histogram, help: "Time from a request's head to the end of its answer.")
        for r in s.routes where r.current || r.duration.count > 0 {
            t.histogram(
                "gateway_request_duration_seconds", [("route", r.name)], bounds: bounds, counts: r.duration.counts,
                sum: Double(r.duration.sumNanos) / 1e9)
        }

        t.family("gateway_upstream_duration_seconds", .histogram, help: "Time from sending a request upstream to its complete response.")
        for u in s.upstreams {
            t.histogram(
                "gateway_upstream_duration_seconds", [("upstream", u.name)], bounds: bounds, counts: u.latency.counts,
                sum: Double(u.latency.sumNanos) / 1e9)
        }

        t.family("gateway_upstream_connections", .gauge, help: "Open upstream connections: idle in the pool or busy with a request.")
        for u in s.upstreams {
            t.sample("gateway_upstream_connections", labels: [("upstream", u.name), ("state", "idle")], u.idle)
            t.sample("gateway_upstream_connections", labels: [("upstream", u.name), ("state", "busy")], u.busy)
        }

        t.family("gateway_upstream_failures_total", .counter, help: "Failed upstream attempts by kind.")
        for u in s.upstreams {
            for k in UpstreamStats.Failure.allCases {
                t.sample("gateway_upstream_failures_total", labels: [("upstream", u.name), ("kind", k.label)], u.failures[k.rawValue])
            }
        }

        t.family("gateway_upstream_ejections_total", .counter, help: "Targets taken out of rotation after consecutive failures.")
        for u in s.upstreams { t.sample("gateway_upstream_ejections_total", labels: [("upstream", u.name)], u.ejections) }

        t.family("gateway_jwt_verifications_total", .counter, help: "Bearer token verifications by result.")
        t.sample("gateway_jwt_verifications_total", labels: [("result", "ok")], s[.jwtOK])
        t.sample("gateway_jwt_verifications_total", labels: [("result", "failed")], s[.jwtFailed])

        t.family("gateway_jwt_cache_hits_total", .counter, help: "Verifications answered from the verified-token cache.")
        t.sample("gateway_jwt_cache_hits_total", s[.cacheHits])
        t.family("gateway_jwt_cache_misses_total", .counter, help: "Verifications that needed the signature check.")
        t.sample("gateway_jwt_cache_misses_total", s[.cacheMisses])

        t.family("gateway_ratelimit_keys", .gauge, help: "Client keys tracked by the rate limiter.")
        t.sample("gateway_ratelimit_keys", s.rateLimitKeys)

        t.family("gateway_open_connections", .gauge, help: "Client connections open.")
        t.sample("gateway_open_connections", s[.openConnections])

        t.family("gateway_reloads_total", .counter, help: "Configuration reloads by result.")
        t.sample("gateway_reloads_total", labels: [("result", "ok")], s.reloadsOK)
        t.sample("gateway_reloads_total", labels: [("result", "failed")], s.reloadsFailed)

        t.family("gateway_tls_handshakes_total", .counter, help: "TLS handshakes with clients by result.")
        t.sample("gateway_tls_handshakes_total", labels: [("result", "ok")], s[.tlsOK])
        t.sample("gateway_tls_handshakes_total", labels: [("result", "failed")], s[.tlsFailed])
        return t.bytes
    }
}
