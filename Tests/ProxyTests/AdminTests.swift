import EventLoop
import Foundation
import Glibc
import Proxy
import Testing

/// The admin endpoints over real sockets: health, readiness (and what makes it fail), reload, and refusals.
@Suite(.serialized) struct AdminTests {
    static let route = #"[{"name": "open", "prefix": "/", "upstream": "backend", "auth": "public", "rate_limit": false}]"#

    /// A port on 127.0.0.1 that nothing listens on (bound, then closed).
    static func closedPort() throws -> UInt16 {
        let (fd, port) = try KitWire.listenLoopback(backlog: 1)
        close(fd)
        return port
    }

    static func withAdmin(
        issuersWithoutKeys: @escaping @Sendable () -> [String] = { [] }, reloadResult: (ok: Bool, message: String) = (true, "reloaded"),
        _ body: (GatewayHarness, AdminFixture) throws -> Void
    ) throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let gw = try GatewayHarness(config: GatewayHarness.config(routes: route), upstreamPort: upstream.port)
        defer { gw.stop() }
        let admin = try AdminFixture(gw.gateway, issuersWithoutKeys: issuersWithoutKeys, reloadResult: reloadResult)
        defer { admin.stop() }
        try body(gw, admin)
    }

    /// DNS rebinding: a page on a name the attacker points at 127.0.0.1 sends that name in Host.
    @Test(arguments: [("localhost", 200), ("127.0.0.1", 200), ("127.0.0.1:9901", 200), ("[::1]:9901", 200), ("LOCALHOST", 200),
                      ("evil.example", 421), ("evil.example:9901", 421), ("127.0.0.1.evil.example", 421), ("128.0.0.1", 421)])
    func onlyLoopbackHostsAreAnswered(_ host: String, _ status: Int) throws {
        try Self.withAdmin { _, admin in
            let r = try TestClient.request(port: admin.port, path: "/metrics", headers: [("Host", host)])
            #expect(r.status == status, "\(host)")
            if status == 421 { #expect(r.errorCode == "misdirected_request") }
        }
    }

    @Test func healthzAnswersOK() throws {
        try Self.withAdmin { _, admin in
            let r = try TestClient.request(port: admin.port, path: "/healthz")
            #expect(r.status == 200)
            #expect(r.json?["status"] as? String == "ok")
            #expect(r.header("Connection") == "close")
            #expect(r.header("Content-Type") == "application/json")
            let head = try TestClient.request(port: admin.port, method: "HEAD", path: "/healthz")
            #expect(head.status == 200 && head.body.isEmpty)
        }
    }

    @Test func readyWhenConfigKeysAndUpstreamAreFine() throws {
        try Self.withAdmin { _, admin in
            let r = try TestClient.request(port: admin.port, path: "/readyz")
            #expect(r.status == 200)
            #expect(r.json?["status"] as? String == "ready")
            let checks = r.json?["checks"] as? [[String: Any]] ?? []
            #expect(checks.map { $0["name"] as? String } == ["config", "keys", "upstream:backend"])
            #expect(checks.allSatisfy { $0["ok"] as? Bool == true })
        }
    }

    @Test func notReadyWhileAnIssuerHasNoKeys() throws {
        try Self.withAdmin(issuersWithoutKeys: { ["idp"] }) { _, admin in
            let r = try TestClient.request(port: admin.port, path: "/readyz")
            #expect(r.status == 503)
            let checks = r.json?["checks"] as? [[String: Any]] ?? []
            let keys = checks.first { $0["name"] as? String == "keys" }
            #expect(keys?["ok"] as? Bool == false)
            #expect((keys?["detail"] as? String)?.contains("idp") == true)
        }
    }

    @Test func notReadyWhenTheOnlyUpstreamTargetIsEjected() throws {
        let deadPort = try Self.closedPort()
        let config = GatewayHarness.config(routes: Self.route)
            .replacingOccurrences(of: #""backend": ["{{UPSTREAM}}"]"#, with: #""backend": {"targets": ["127.0.0.1:\#(deadPort)"], "eject_after": 1}"#)
        let gw = try GatewayHarness(config: config)
        defer { gw.stop() }
        let admin = try AdminFixture(gw.gateway)
        defer { admin.stop() }
        #expect(try TestClient.request(port: admin.port, path: "/readyz").status == 200)
        #expect(try TestClient.request(port: gw.port, path: "/x").status == 502)
        let r = try TestClient.request(port: admin.port, path: "/readyz")
        #expect(r.status == 503)
        #expect(r.json?["status"] as? String == "not_ready")
        let checks = r.json?["checks"] as? [[String: Any]] ?? []
        #expect(checks.first { $0["name"] as? String == "upstream:backend" }?["ok"] as? Bool == false)
        #expect(checks.first { $0["name"] as? String == "config" }?["ok"] as? Bool == true)
    }

    @Test(arguments: [(true, 200, "ok"), (false, 500, "failed")])
    func reloadCallsTheGatewayAndAnswersItsResult(ok: Bool, status: Int, word: String) throws {
        try Self.withAdmin(reloadResult: (ok, "routes: 1")) { _, admin in
            let r = try TestClient.request(port: admin.port, method: "POST", path: "/reload")
            #expect(r.status == status)
            #expect(r.json?["status"] as? String == word)
            #expect(r.json?["message"] as? String == "routes: 1")
            #expect(admin.reloadCalls == 1)
        }
    }

    @Test func reloadFromABrowserIsRefused() throws {
        try Self.withAdmin { _, admin in
            let r = try TestClient.request(port: admin.port, method: "POST", path: "/reload", headers: [("Origin", "https://evil.example")])
            #expect(r.status == 403)
            #expect(admin.reloadCalls == 0)
        }
    }

    @Test(arguments: [
        ("GET", "/reload", 405, "POST"), ("POST", "/metrics", 405, "GET, HEAD"), ("DELETE", "/healthz", 405, "GET, HEAD"),
        ("GET", "/nope", 404, nil), ("GET", "/healthz/", 404, nil),
    ])
    func otherRequestsAreRefused(method: String, path: String, status: Int, allow: String?) throws {
        try Self.withAdmin { _, admin in
            let r = try TestClient.request(port: admin.port, method: method, path: path)
            #expect(r.status == status)
            #expect(r.header("Allow") == allow)
            #expect(r.json?["error"] != nil)
            #expect(admin.reloadCalls == 0)
        }
    }

    @Test(arguments: ["GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "GET /healthz HTTP/1.1\r\n\r\n", "BAD\r\n\r\n"])
    func malformedRequestsGetA400(raw: String) throws {
        try Self.withAdmin { _, admin in
            let c = try TestClient(port: admin.port)
            defer { c.close() }
            c.send(raw)
            let r = try c.readResponse()
            #expect(r.status == 400)
        }
    }

    @Test func queryStringsAreIgnoredAndMetricsAreText() throws {
        try Self.withAdmin { _, admin in
            let r = try TestClient.request(port: admin.port, path: "/metrics?x=1")
            #expect(r.status == 200)
            #expect(r.header("Content-Type") == PrometheusText.contentType)
            #expect(r.bodyText.contains("# TYPE gateway_requests_total counter\n"))
        }
    }

    @Test func stopClosesTheListener() throws {
        try Self.withAdmin { _, admin in
            let port = admin.port
            admin.stop()
            #expect(throws: TestKitError.self) { _ = try TestClient(port: port) }
            admin.stop()
        }
    }
}
