import Glibc
import Testing

extension CoreTests {
    /// Connection handling on both sides: pipelining, keep-alive, pooling, idle and head timeouts, replay.
    @Suite(.serialized) struct Connections {
        @Test func pipelinedRequestsAreAnsweredInOrder() throws {
            let fx = try CoreFixture()
            defer { fx.stop() }
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            var bytes: [UInt8] = []
            for i in 1...3 {
                bytes += TestClient.requestBytes(method: "GET", path: "/p/\(i)", headers: [("X-Seq", "\(i)")], body: [])
            }
            #expect(client.send(bytes))
            for i in 1...3 {
                let r = try client.readResponse()
                #expect(r.status == 200)
                #expect(r.echoed("target") as? String == "/p/\(i)")
            }
            #expect(fx.upstream.received.map(\.target) == ["/p/1", "/p/2", "/p/3"])
            #expect(fx.upstream.received.map { $0.header("X-Seq") } == ["1", "2", "3"])
        }

        @Test func pipelinedPostsKeepTheirBodiesApart() throws {
            let fx = try CoreFixture()
            defer { fx.stop() }
            fx.upstream.handle("/echo", .echoBody)
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            let bodies = ["first", "", "third body"]
            var bytes: [UInt8] = []
            for b in bodies { bytes += TestClient.requestBytes(method: "POST", path: "/echo", headers: [], body: Array(b.utf8)) }
            #expect(client.send(bytes))
            for b in bodies {
                let r = try client.readResponse()
                #expect(r.status == 200)
                #expect(r.bodyText == b)
            }
            #expect(fx.upstream.received.map(\.bodyText) == bodies)
        }

        @Test func sequentialRequestsOnOneClientConnectionShareOneUpstreamConnection() throws {
            let fx = try CoreFixture()
            defer { fx.stop() }
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            for i in 1...5 {
                #expect(client.send(path: "/seq/\(i)"))
                let r = try client.readResponse()
                #expect(r.status == 200)
                #expect(r.header("Connection") == nil)
            }
            #expect(fx.upstream.acceptCount == 1)
            #expect(fx.upstream.received.map(\.connectionID) == [1, 1, 1, 1, 1])
            #expect(fx.upstream.received.map(\.path) == (1...5).map { "/seq/\($0)" })
        }

        @Test func consecutiveClientsReuseThePooledUpstreamConnection() throws {
            let fx = try CoreFixture()
            defer { fx.stop() }
            let first = try TestClient.request(port: fx.port, path: "/a")
            let second = try TestClient.request(port: fx.port, path: "/b")
            #expect(first.status == 200 && second.status == 200)
            #expect(fx.upstream.acceptCount == 1)
            #expect(fx.upstream.received.map(\.connectionID) == [1, 1])
            #expect(fx.upstream.received.map(\.path) == ["/a", "/b"])
        }

        @Test func clientHalfCloseAfterARequestStillGetsTheResponseThenClose() throws {
            let fx = try CoreFixture()
            defer { fx.stop() }
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            #expect(client.send(path: "/half"))
            #expect(shutdown(client.fd, Int32(SHUT_WR)) == 0)
            let r = try client.readResponse()
            #expect(r.status == 200)
            #expect(r.echoed("target") as? String == "/half")
            // The client can send nothing more: the gateway closes instead of holding the connection idle.
            #expect(client.isClosedByPeer(within: 2))
            #expect(fx.upstream.received.map(\.path) == ["/half"])
        }

        @Test func headResponseHasNoBodyAndTheConnectionIsReused() throws {
            let fx = try CoreFixture()
            defer { fx.stop() }
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            #expect(client.send(method: "HEAD", path: "/head"))
            let head = try client.readResponse(headRequest: true)
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(Int(head.header("Content-Length") ?? "") ?? 0 > 0)
            #expect(client.send(path: "/after"))
            let next = try client.readResponse()
            #expect(next.status == 200)
            #expect(next.echoed("target") as? String == "/after")
            #expect(fx.upstream.received.map(\.method) == ["HEAD", "GET"])
            #expect(fx.upstream.acceptCount == 1)
        }

        @Test func halfSentHeadGets408AndTheConnectionCloses() throws {
            let fx = try CoreFixture(extra: #""timeouts": {"request_head": "200ms"}"#)
            defer { fx.stop() }
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            let started = monotonicSeconds()
            #expect(client.send("GET /slowloris HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Partial: "))
            let r = try client.readResponse()
            let waited = monotonicSeconds() - started
            #expect(r.status == 408)
            #expect(r.errorCode == "request_timeout")
            #expect(r.header("Connection") == "close")
            #expect(waited >= 0.15 && waited < 3, "answered after \(waited) s")
            #expect(client.isClosedByPeer(within: 2))
            #expect(fx.upstream.acceptCount == 0)
            #expect(fx.upstream.received.isEmpty)
        }

        @Test func idleKeepAliveConnectionIsClosed() throws {
            let fx = try CoreFixture(extra: #""timeouts": {"keep_alive": "200ms"}"#)
            defer { fx.stop() }
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            #expect(client.send(path: "/once"))
            let r = try client.readResponse()
            #expect(r.status == 200)
            let answered = monotonicSeconds()
            #expect(client.isClosedByPeer(within: 3))
            let idle = monotonicSeconds() - answered
            #expect(idle >= 0.15, "closed after \(idle) s")
            #expect(client.readUntilClose().isEmpty, "a silent close, no response")
            #expect(fx.upstream.received.map(\.path) == ["/once"])
        }

        @Test func idleUpstreamConnectionClosedByTheUpstreamIsReplacedForAGet() throws {
            let fx = try CoreFixture()
            defer { fx.stop() }
            // A keep-alive response after which the upstream closes the connection while it sits in the pool.
            fx.upstream.handle("/first", .rawResponse(Array("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst".utf8)))
            let first = try TestClient.request(port: fx.port, path: "/first")
            #expect(first.status == 200)
            #expect(first.bodyText == "first")
            let second = try TestClient.request(port: fx.port, path: "/second")
            #expect(second.status == 200)
            #expect(second.echoed("target") as? String == "/second")
            #expect(fx.upstream.acceptCount == 2)
            // The GET arrived exactly once, on the fresh connection.
            #expect(fx.upstream.received.map(\.path) == ["/first", "/second"])
            #expect(fx.upstream.received.map(\.connectionID) == [1, 2])
        }

        @Test func getThatDiesOnAFreshConnectionIsNotReplayed() throws {
            let fx = try CoreFixture()
            defer { fx.stop() }
            // The upstream reads the request and closes without an answer. Only a pooled connection may have gone
            // stale before the request reached it; one that died on a fresh connection reached the upstream.
            fx.upstream.handle("/", .closeImmediately)
            fx.upstream.handle("/ok", .rawResponse(Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".utf8)))
            let warm = try TestClient.request(port: fx.port, path: "/ok")
            #expect(warm.status == 200)
            let r = try TestClient.request(port: fx.port, path: "/gone")
            #expect(r.status == 502)
            #expect(r.errorCode == "upstream_unavailable")
            #expect(fx.upstream.received.map(\.path) == ["/ok", "/gone"])
        }
    }
}
