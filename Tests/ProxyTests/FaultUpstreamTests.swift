import EventLoop
import Glibc
import LegacyAPI
import Synchronization
import Testing

extension FaultTests {
    /// Upstreams that die, restart, hang or answer garbage: the client always gets a prompt gateway answer, and
    /// one bad upstream never stalls the worker for anyone else.
    @Suite(.serialized) struct UpstreamFaults {
        /// One answered request as a load thread saw it, timed on the monotonic clock.
        struct Sample: Sendable {
            let started: Double
            let finished: Double
            /// The status, or nil when the client saw no complete response (reset, EOF, timeout).
            let status: Int?
        }

        /// Clients that each send GETs back to back on a keep-alive connection (reconnecting when the gateway
        /// closes it) until `stop` is set, recording every answer.
        final class Load: Sendable {
            let samples = Mutex<[Sample]>([])
            let stop = Atomic<Bool>(false)
            private let threads: [WorkerThread]

            init(port: UInt16, clients: Int, path: String) throws {
                threads = (0..<clients).map { _ in WorkerThread() }
                for t in threads {
                    try t.start(name: "fault-load") { [self] in run(port: port, path: path) }
                }
            }

            private func run(port: UInt16, path: String) {
                var client: TestClient?
                while !stop.load(ordering: .relaxed) {
                    let started = monotonicSeconds()
                    var status: Int?
                    var reusable = false
                    if client == nil { client = try? TestClient(port: port) }
                    if let c = client, c.send(path: path), let r = try? c.readResponse() {
                        status = r.status
                        reusable = !KitWire.hasToken(r.headers, "connection", "close")
                    }
                    let sample = Sample(started: started, finished: monotonicSeconds(), status: status)
                    samples.withLock { $0.append(sample) }
                    if !reusable {
                        client?.close()
                        client = nil
                    }
                }
                client?.close()
            }

            func finish() -> [Sample] {
                stop.store(true, ordering: .relaxed)
                for t in threads { t.join() }
                return samples.withLock { $0 }
            }

            var count: Int { samples.withLock { $0.count } }

            func count(startedAfter time: Double) -> Int {
                samples.withLock { $0.count { $0.started >= time } }
            }
        }

        @Test func upstreamKilledMidLoadGives502ThenRecoversWithinASecond() throws {
            let baseline = FDCount.open()
            // Optional so each server is released (closing its loop's descriptors) before the count is compared.
            var first: LegacyAPIServer? = LegacyAPIServer(listen: try #require(SocketAddress(host: "127.0.0.1", port: 0)))
            let upstreamPort = try first?.start() ?? 0
            let config = GatewayHarness.config(
                routes: #"[{"prefix": "/", "upstream": "backend", "auth": "public"}]"#,
                extra: #""timeouts": {"upstream_connect": "300ms", "upstream_response": "1s"}"#)
            let gateway = try GatewayHarness(config: config, upstreamPort: upstreamPort)
            let load = try Load(port: gateway.port, clients: 4, path: "/api/unsecure")

            #expect(waitUntil(timeout: 5) { load.count >= 50 })
            let killed = monotonicSeconds()
            first?.stop()
            first = nil
            let countAtKill = load.count
            // Down long enough for every client to hit the dead upstream many times (and eject it).
            #expect(waitUntil(timeout: 5) { load.count >= countAtKill + 50 && monotonicSeconds() - killed >= 0.3 })
            let restarted = monotonicSeconds()
            var second: LegacyAPIServer? = LegacyAPIServer(listen: try #require(SocketAddress(host: "127.0.0.1", port: upstreamPort)))
            try second?.start()
            #expect(waitUntil(timeout: 10) { load.count(startedAfter: restarted + 1.0) >= 20 })
            let samples = load.finish()

            // Nothing hangs: every request got an answer, and quickly (the connect timeout is 300 ms).
            let unanswered = samples.filter { $0.status == nil }
            #expect(unanswered.count <= 4, "\(unanswered.count) requests got no response")
            let slowest = samples.map { $0.finished - $0.started }.max() ?? 0
            #expect(slowest < 1.0, "slowest request took \(slowest) s")
            // While it is down (requests sent and answered wholly inside the outage): only 502 or 503.
            let down = samples.filter { $0.started > killed + 0.05 && $0.finished < restarted }
            #expect(!down.isEmpty)
            #expect(down.allSatisfy { $0.status == 502 || $0.status == 503 }, "\(Set(down.map(\.status)))")
            // A second after it is back, every request is answered by it.
            let recovered = samples.filter { $0.started >= restarted + 1.0 }
            #expect(recovered.count >= 20)
            #expect(recovered.allSatisfy { $0.status == 200 }, "\(Set(recovered.map(\.status)))")
            let firstOK = samples.first { $0.started >= restarted && $0.status == 200 }.map { $0.finished - restarted }
            #expect(firstOK.map { $0 < 1.0 } ?? false, "first 200 after restart at \(String(describing: firstOK)) s")

            #expect(waitUntil(timeout: 3) { gateway.gateway.openConnections == 0 })
            gateway.stop()
            second?.stop()
            second = nil
            #expect(waitUntil(timeout: 3) { FDCount.open() <= baseline }, "descriptors \(FDCount.open()), baseline \(baseline)")
        }

        @Test func silentUpstreamTimesOutWhileTheSameWorkerServesOthers() throws {
            let routes = """
                [{"prefix": "/hang", "upstream": "backend", "auth": "public"},
                 {"prefix": "/fast", "upstream": "backend", "auth": "public"}]
                """
            let fx = try CoreFixture(routes: routes, extra: #""timeouts": {"upstream_response": "600ms"}"#)
            defer { fx.stop() }
            fx.upstream.handle("/hang", .neverRespond)
            let hung = try TestClient(port: fx.port)
            defer { hung.close() }
            let sent = monotonicSeconds()
            #expect(hung.send(path: "/hang"))
            #expect(fx.upstream.waitForRequests(count: 1, timeout: 5))

            // The config has one worker, so these share the event loop with the hung exchange.
            let other = try TestClient(port: fx.port)
            defer { other.close() }
            for i in 0..<10 {
                let started = monotonicSeconds()
                #expect(other.send(path: "/fast/\(i)"))
                let r = try other.readResponse()
                #expect(r.status == 200)
                #expect(monotonicSeconds() - started < 0.2, "request \(i) took \(monotonicSeconds() - started) s")
            }
            #expect(monotonicSeconds() - sent < 0.6, "the other route's requests finished after the timeout")

            let r = try hung.readResponse()
            let waited = monotonicSeconds() - sent
            #expect(r.status == 504)
            #expect(r.errorCode == "upstream_timeout")
            #expect(waited >= 0.55 && waited < 2, "504 after \(waited) s")
            // The timed-out upstream connection is dropped, not pooled.
            #expect(waitUntil(timeout: 3) { fx.upstream.openConnectionCount <= 1 })
        }

        /// Bad response heads; `holdOpen` keeps the upstream connection open after them, so only the bytes can
        /// make the gateway answer 502 before its response timeout (3 s here).
        static let badHeads: [(name: String, bytes: [UInt8], holdOpen: Bool)] = [
            ("binary garbage", [0x00, 0xFF, 0x13, 0x37] + Array("\r\n\r\n".utf8), true),
            ("status line cut off by close", Array("HTTP/1.1 200".utf8), false),
            ("header line without colon", Array("HTTP/1.1 200 OK\r\nno colon here\r\nContent-Length: 0\r\n\r\n".utf8), true),
            ("negative length", Array("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n".utf8), true),
            ("NUL in a header value", Array("HTTP/1.1 200 OK\r\nX-A: a\u{0}b\r\nContent-Length: 0\r\n\r\n".utf8), true),
            (
                "head over max_head_bytes (4 KiB)",
                Array("HTTP/1.1 200 OK\r\nX-Big: \(String(repeating: "a", count: 6000))\r\nContent-Length: 0\r\n\r\n".utf8), true
            ),
            (
                "endless head without an empty line",
                Array("HTTP/1.1 200 OK\r\n".utf8) + Array(repeating: Array("X-Filler: 0123456789abcdef\r\n".utf8), count: 4000).flatMap { $0 },
                true
            ),
        ]

        @Test(arguments: badHeads.indices)
        func malformedOrOverlongResponseHeadIs502(_ index: Int) throws {
            let (name, bytes, holdOpen) = Self.badHeads[index]
            let baseline = FDCount.open()
            let bad = try FaultRawUpstream(response: bytes, holdOpen: holdOpen)
            let good = TestUpstream()
            try good.start()
            let config = """
                {
                  "listen": "127.0.0.1:0", "workers": 1, "log": {"access": "off"},
                  "limits": {"max_head_bytes": "4KiB", "max_target_bytes": "2KiB", "max_token_bytes": "2KiB"}, "timeouts": {"upstream_response": "3s"},
                  "upstreams": {"bad": ["127.0.0.1:\(bad.port)"], "good": ["127.0.0.1:\(good.port)"]},
                  "routes": [{"prefix": "/bad", "upstream": "bad", "auth": "public"},
                             {"prefix": "/good", "upstream": "good", "auth": "public"}]
                }
                """
            let gateway = try GatewayHarness(config: config)
            let started = monotonicSeconds()
            let r = try TestClient.request(port: gateway.port, path: "/bad")
            let waited = monotonicSeconds() - started
            #expect(r.status == 502, "\(name): \(r.status)")
            #expect(r.errorCode == "bad_upstream_response", "\(name): \(r.errorCode ?? "-")")
            // Refused on sight, not after waiting for the response timeout.
            #expect(waited < 1.5, "\(name): answered after \(waited) s")
            // The worker is still fine.
            #expect(try TestClient.request(port: gateway.port, path: "/good").status == 200)
            gateway.stop()
            bad.stop()
            good.stop()
            #expect(waitUntil(timeout: 3) { FDCount.open() <= baseline }, "descriptors \(FDCount.open()), baseline \(baseline)")
        }
    }
}
