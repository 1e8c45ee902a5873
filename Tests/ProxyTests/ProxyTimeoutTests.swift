import Foundation
import Testing

@Suite(.serialized) struct ProxyTimeoutTests {
    /// The connect timeout covers connecting only: a request body that takes longer than it to arrive must
    /// still be forwarded whole (the response timeout then runs as an idle timeout on the exchange).
    @Test func slowRequestBodyOutlastingTheConnectTimeoutIsForwarded() throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let gw = try GatewayHarness(
            config: GatewayHarness.config(
                routes: #"[{"prefix": "/", "upstream": "backend", "auth": "public"}]"#,
                extra: #""timeouts": {"upstream_connect": "100ms", "upstream_response": "5s"}"#),
            upstreamPort: upstream.port)
        defer { gw.stop() }
        let client = try TestClient(port: gw.port)
        defer { client.close() }
        let part = [UInt8](repeating: UInt8(ascii: "x"), count: 1000)
        #expect(client.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 3000\r\n\r\n"))
        // The body arrives in three parts 150 ms apart: the pacing is the behaviour under test.
        for _ in 0..<3 {
            #expect(client.send(part))
            usleep(150_000)
        }
        let r = try client.readResponse()
        #expect(r.status == 200)
        #expect(upstream.waitForRequests(count: 1, timeout: 5))
        #expect(upstream.received.first?.body.count == 3000)
    }
}
