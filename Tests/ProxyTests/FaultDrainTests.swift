import Testing

extension FaultTests {
    /// Shutdown as SIGTERM starts it (`Gateway.shutdown()`, which `runUntilSignal` calls): listeners close at once,
    /// the request in flight still gets its whole answer, and `wait()` returns once it is done.
    @Suite(.serialized) struct Drain {
        @Test func inFlightRequestCompletesWhileNewConnectionsAreRefused() throws {
            let fx = try CoreFixture(extra: #""timeouts": {"drain": "5s"}"#)
            defer { fx.stop() }
            let body = Array("finished after the drain began".utf8)
            fx.upstream.handle("/slow", .delay(seconds: 0.8, then: .respond(status: 200, headers: [], body: body, framing: .contentLength)))
            let inFlight = try TestClient(port: fx.port)
            defer { inFlight.close() }
            #expect(inFlight.send(path: "/slow"))
            #expect(fx.upstream.waitForRequests(count: 1, timeout: 5))

            let gateway = fx.gateway.gateway
            let port = fx.port
            gateway.shutdown()
            let waiter = try FaultBackground(name: "drain-wait") { gateway.wait() }
            // The listener goes at once, while the slow request is still in flight.
            #expect(waitUntil(timeout: 0.5) { FaultSocket.connectRefused(port: port) })
            #expect(!waiter.finished, "wait() returned before the in-flight request was answered")

            let r = try inFlight.readResponse()
            #expect(r.status == 200)
            #expect(r.body == body)
            // Draining: the connection is not kept for another request.
            #expect(KitWire.hasToken(r.headers, "connection", "close"))
            #expect(inFlight.isClosedByPeer(within: 2))
            #expect(waiter.finish(within: 3), "wait() did not return after the last request finished")
            #expect(fx.upstream.received.map(\.path) == ["/slow"])
        }

        @Test func idleConnectionsAreClosedAndWaitReturnsPromptly() throws {
            let fx = try CoreFixture(extra: #""timeouts": {"drain": "5s", "keep_alive": "60s"}"#)
            defer { fx.stop() }
            let idle = try TestClient(port: fx.port)
            defer { idle.close() }
            #expect(idle.send(path: "/first"))
            #expect(try idle.readResponse().status == 200)

            let gateway = fx.gateway.gateway
            let started = monotonicSeconds()
            gateway.shutdown()
            let waiter = try FaultBackground(name: "drain-wait") { gateway.wait() }
            #expect(idle.isClosedByPeer(within: 2))
            // Nothing is in flight, so the drain does not wait out its 5 s grace period.
            #expect(waiter.finish(within: 2), "wait() did not return")
            #expect(monotonicSeconds() - started < 2)
        }
    }
}
