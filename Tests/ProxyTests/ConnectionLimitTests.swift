import Foundation
import Testing

/// limits.max_connections_per_ip: one address cannot hold every connection slot.
@Suite(.serialized) struct ConnectionLimitTests {
    @Test func perIPCapClosesExtraConnectionsAndFreesSlotsOnClose() throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let gw = try GatewayHarness(
            config: GatewayHarness.config(
                routes: #"[{"prefix": "/", "upstream": "backend", "auth": "public"}]"#,
                extra: #""limits": {"max_connections_per_ip": 2}"#),
            upstreamPort: upstream.port)
        defer { gw.stop() }

        // Two connections, each proven accepted by a full exchange.
        let first = try TestClient(port: gw.port)
        let second = try TestClient(port: gw.port)
        for c in [first, second] {
            #expect(c.send(path: "/one"))
            #expect(try c.readResponse().status == 200)
        }
        // The third from the same address is closed without an answer; the first two keep working.
        let third = try TestClient(port: gw.port)
        #expect(third.isClosedByPeer(within: 5))
        third.close()
        #expect(first.send(path: "/still-served"))
        #expect(try first.readResponse().status == 200)
        #expect(upstream.received.filter { $0.target == "/still-served" }.count == 1)

        // Closing one frees its slot.
        first.close()
        #expect(waitUntil(timeout: 5) { gw.gateway.openConnections == 1 })
        let fourth = try TestClient(port: gw.port)
        #expect(fourth.send(path: "/after-free"))
        #expect(try fourth.readResponse().status == 200)
        fourth.close()
        second.close()
    }
}
