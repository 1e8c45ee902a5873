import Glibc
import Testing

extension FaultTests {
    /// Clients that misbehave: reset connections, trickle bytes, idle by the thousand, or overstay their
    /// request budget. The gateway stays healthy for everyone else and keeps no descriptor of theirs.
    @Suite(.serialized) struct ClientFaults {
        enum ResetPoint: String, CaseIterable, Sendable {
            /// After the head and part of a 100 kB body.
            case midRequestBody
            /// After part of the head.
            case midRequestHead
            /// While an 8 MB response is streaming to the client.
            case midResponse
        }

        @Test(arguments: ResetPoint.allCases)
        func clientResetLeavesTheGatewayHealthy(_ point: ResetPoint) throws {
            let fx = try CoreFixture()
            defer { fx.stop() }
            fx.upstream.handle("/upload", .echoBody)
            // More than the kernel buffers on both sides hold, so the response is still streaming at the reset.
            let large = [UInt8](repeating: 0x61, count: 8 << 20)
            fx.upstream.handle("/large", .respond(status: 200, headers: [], body: large, framing: .contentLength))
            for round in 0..<5 {
                let client = try TestClient(port: fx.port)
                switch point {
                case .midRequestBody:
                    #expect(client.send("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n"))
                    #expect(client.send(TestUpstream.pattern(count: 30_000)))
                    // The head reached the upstream, so the gateway holds both sides when the reset lands.
                    #expect(waitUntil(timeout: 5) { fx.upstream.acceptCount >= 1 && fx.upstream.openConnectionCount >= 1 })
                case .midRequestHead:
                    #expect(client.send("GET /partial HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: "))
                    #expect(waitUntil(timeout: 5) { fx.gateway.gateway.openConnections >= 1 })
                case .midResponse:
                    #expect(client.send(path: "/large"))
                    var head = [UInt8](repeating: 0, count: 4096)
                    #expect(recv(client.fd, &head, head.count, 0) > 0, "round \(round): no response bytes")
                }
                client.resetClose()
                #expect(waitUntil(timeout: 5) { fx.gateway.gateway.openConnections == 0 }, "round \(round)")
                let r = try TestClient.request(port: fx.port, path: "/after-reset")
                #expect(r.status == 200, "round \(round)")
            }
            // A reset mid-body never delivers a request that looks whole.
            #expect(!fx.upstream.received.contains { $0.path == "/upload" })
        }

        @Test func slowlorisGets408AndIsClosed() throws {
            let fx = try CoreFixture(extra: #""timeouts": {"request_head": "500ms"}"#)
            defer { fx.stop() }
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            let head = Array("GET /trickle HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: \(String(repeating: "z", count: 200))\r\n\r\n".utf8)
            let started = monotonicSeconds()
            var sent = 0
            // One byte per 100 ms (the head would take ~25 s); the gateway answers well before, and then a send fails
            // or the answer is readable.
            var pfd = pollfd(fd: client.fd, events: Int16(POLLIN), revents: 0)
            while sent < head.count, poll(&pfd, 1, 100) == 0 {
                guard client.send([head[sent]]) else { break }
                sent += 1
            }
            let r = try client.readResponse()
            let waited = monotonicSeconds() - started
            #expect(r.status == 408)
            #expect(r.errorCode == "request_timeout")
            #expect(r.header("Connection")?.lowercased() == "close")
            #expect(waited >= 0.45 && waited < 1.5, "408 after \(waited) s")
            #expect(sent < head.count)
            #expect(client.isClosedByPeer(within: 2))
            #expect(fx.upstream.received.isEmpty)
        }

        @Test(arguments: [1, 3])
        func connectionClosesAfterMaxRequests(_ limit: Int) throws {
            let fx = try CoreFixture(extra: #""limits": {"max_requests_per_connection": \#(limit)}"#)
            defer { fx.stop() }
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            for i in 1...limit {
                #expect(client.send(path: "/n/\(i)"))
                let r = try client.readResponse()
                #expect(r.status == 200)
                let closes = KitWire.hasToken(r.headers, "connection", "close")
                #expect(closes == (i == limit), "response \(i) of \(limit): Connection \(r.header("Connection") ?? "-")")
            }
            #expect(client.isClosedByPeer(within: 2))
            #expect(fx.upstream.received.count == limit)
        }

        @Test func thousandIdleConnectionsDoNotDelayAnActiveClient() throws {
            let idleCount = 1000
            // Each idle connection costs two descriptors here: the client's and the gateway's.
            let limit = FaultSocket.raiseDescriptorLimit(to: 2 * idleCount + 1024)
            try #require(limit >= 2 * idleCount + 256, "RLIMIT_NOFILE is \(limit)")
            let fx = try CoreFixture(extra: #""limits": {"max_connections_per_ip": 4000}, "timeouts": {"keep_alive": "60s"}"#)
            defer { fx.stop() }
            var idle: [Int32] = []
            defer { for fd in idle { close(fd) } }
            for _ in 0..<idleCount {
                guard let fd = FaultSocket.connectIdle(port: fx.port) else { break }
                idle.append(fd)
            }
            #expect(idle.count == idleCount)
            #expect(waitUntil(timeout: 10) { fx.gateway.gateway.openConnections == idleCount })

            let active = try TestClient(port: fx.port)
            defer { active.close() }
            var slowest = 0.0
            for i in 0..<50 {
                let started = monotonicSeconds()
                #expect(active.send(path: "/active/\(i)"))
                #expect(try active.readResponse().status == 200)
                slowest = max(slowest, monotonicSeconds() - started)
            }
            #expect(slowest < 0.25, "slowest active request took \(slowest) s")
            // The idle ones are still open and still served when they finally speak.
            for fd in idle.prefix(5) {
                #expect(kitSendAll(fd, Array("GET /late HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)))
                let answer = KitStream(fd: fd).readToEnd()
                #expect(RawMessage(answer)?.statusLine.hasPrefix("HTTP/1.1 200") == true)
            }
            for fd in idle { close(fd) }
            idle.removeAll()
            #expect(waitUntil(timeout: 10) { fx.gateway.gateway.openConnections == 1 })
        }
    }
}
