import Foundation
import Testing

@Suite(.serialized) struct ProxySmokeTests {
    @Test func publicRouteForwardsAndRecordsForwardingHeaders() throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let gw = try GatewayHarness(
            config: GatewayHarness.config(routes: #"[{"prefix": "/", "upstream": "backend", "auth": "public"}]"#),
            upstreamPort: upstream.port)
        defer { gw.stop() }
        let r = try TestClient.request(port: gw.port, method: "GET", path: "/a/./b//c?x=1", headers: [("X-Auth-Subject", "mallory")], body: [])
        #expect(r.status == 200)
        #expect(upstream.waitForRequests(count: 1, timeout: 5))
        let got = try #require(upstream.received.first)
        #expect(got.target == "/a/b/c?x=1")
        #expect(got.header("X-Auth-Subject") == nil)
        #expect(got.header("X-Forwarded-For") == "127.0.0.1")
        #expect(got.header("X-Request-Id") == r.header("X-Request-Id"))
    }
}
