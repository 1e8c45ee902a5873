import Testing

extension CoreTests {
    /// An upstream that is down, slow, cut off or broken: the client gets a gateway answer or sees the
    /// truncation, and a client that goes away never leaves the upstream with a request that looks whole.
    @Suite(.serialized) struct UpstreamFailures {
        @Test func unreachableUpstreamIs502() throws {
            let fx = try CoreFixture(deadUpstream: true)
            defer { fx.stop() }
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            for _ in 1...2 {
                #expect(client.send(path: "/down"))
                let r = try client.readResponse()
                #expect(r.status == 502)
                #expect(r.errorCode == "upstream_unavailable")
                #expect(r.header("X-Request-Id") != nil)
            }
            #expect(fx.upstream.acceptCount == 0)
        }

        @Test func slowUpstreamIs504() throws {
            let fx = try CoreFixture(extra: #""timeouts": {"upstream_response": "300ms"}"#)
            defer { fx.stop() }
            fx.upstream.handle("/slow", .delay(seconds: 5, then: .respond(status: 200, headers: [], body: Array("late".utf8), framing: .contentLength)))
            let started = monotonicSeconds()
            let r = try TestClient.request(port: fx.port, path: "/slow")
            let waited = monotonicSeconds() - started
            #expect(r.status == 504)
            #expect(r.errorCode == "upstream_timeout")
            #expect(waited >= 0.25 && waited < 4, "answered after \(waited) s")
            #expect(fx.upstream.received.map(\.path) == ["/slow"])
        }

        @Test func upstreamClosingMidResponseTruncatesTheClientConnection() throws {
            let fx = try CoreFixture()
            defer { fx.stop() }
            fx.upstream.handle("/cut", .closeMidResponse(sendBytes: 1000))
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            #expect(client.send(path: "/cut"))
            let bytes = client.readUntilClose()
            // Either nothing or a head announcing more than arrived: never a complete response.
            if let message = RawMessage(bytes) {
                #expect(message.statusLine.hasPrefix("HTTP/1.1 200"))
                let announced = Int(message.header("Content-Length") ?? "") ?? 0
                #expect(announced == 2064)
                #expect(message.body.count < announced)
                #expect(message.body == Array(TestUpstream.pattern(count: 1000).prefix(message.body.count)))
            }
            #expect(fx.upstream.received.map(\.path) == ["/cut"])
        }

        static let invalidHeads: [String] = [
            "garbage\r\n\r\n",
            "HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 200 OK\nContent-Length: 2\n\nok",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/2 200\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n",
        ]

        @Test(arguments: invalidHeads)
        func invalidResponseHeadIs502(_ head: String) throws {
            let fx = try CoreFixture()
            defer { fx.stop() }
            fx.upstream.handle("/bad", .rawResponse(Array(head.utf8)))
            let r = try TestClient.request(port: fx.port, path: "/bad")
            #expect(r.status == 502)
            #expect(r.errorCode == "bad_upstream_response")
            #expect(fx.upstream.received.map(\.path) == ["/bad"])
        }

        enum Framing: String, CaseIterable, Sendable { case contentLength, chunked }

        @Test(arguments: Framing.allCases)
        func clientLeavingMidBodyNeverDeliversAWholeRequest(_ framing: Framing) throws {
            let fx = try CoreFixture()
            defer { fx.stop() }
            fx.upstream.handle("/upload", .echoBody)
            let client = try TestClient(port: fx.port)
            let part = TestUpstream.pattern(count: 5000)
            switch framing {
            case .contentLength:
                client.send(Array("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n".utf8) + part)
            case .chunked:
                var bytes = Array("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
                bytes += Array("1388\r\n".utf8) + part + Array("\r\n".utf8)
                client.send(bytes)
            }
            // The head went out to the upstream before the client vanished.
            #expect(waitUntil(timeout: 5) { fx.upstream.acceptCount == 1 })
            client.close()
            // The gateway drops its upstream connection too, mid-message, so the upstream sees a truncated request.
            #expect(waitUntil(timeout: 5) { fx.upstream.openConnectionCount == 0 })
            #expect(fx.upstream.received.isEmpty)
            #expect(fx.upstream.abortedCount <= 1)
        }
    }
}
