import Testing

extension CoreTests {
    /// Request and response bodies cross the gateway byte for byte, whatever their framing.
    @Suite(.serialized) struct Bodies {
        static let mebibyte = 1 << 20

        enum RequestBody: String, CaseIterable, Sendable {
            case empty, contentLength, chunked
        }

        @Test(arguments: RequestBody.allCases)
        func requestBodyReachesTheUpstreamIntact(_ kind: RequestBody) throws {
            let fx = try CoreFixture()
            defer { fx.stop() }
            fx.upstream.handle("/echo", .echoBody)
            let body = kind == .empty ? [] : TestUpstream.pattern(count: Self.mebibyte)
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            switch kind {
            case .empty, .contentLength:
                client.send(method: "POST", path: "/echo", body: body)
            case .chunked:
                // Odd-sized chunks with an extension: the gateway decodes them and re-encodes its own chunks.
                var bytes = Array("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
                bytes += Array("7;ext=1\r\n".utf8) + body[0..<7] + Array("\r\n".utf8)
                bytes += KitWire.chunked(Array(body[7...]), chunkSize: 10_007)
                client.send(bytes)
            }
            let r = try client.readResponse()
            #expect(r.status == 200)
            #expect(r.body.count == body.count)
            let same = r.body.elementsEqual(body)
            #expect(same, "response body differs")
            #expect(fx.upstream.waitForRequests(count: 1, timeout: 5))
            let got = try #require(fx.upstream.received.first)
            #expect(got.body.count == body.count)
            let sameForwarded = got.body.elementsEqual(body)
            #expect(sameForwarded, "forwarded body differs")
            #expect(got.chunked == (kind == .chunked))
            if kind != .chunked { #expect(got.header("Content-Length") == String(body.count)) }
            #expect(fx.upstream.protocolErrors.isEmpty)
        }

        static let responseFramings: [TestUpstream.Framing] = [.contentLength, .chunked(chunkSize: 3001), .closeDelimited]

        @Test(arguments: responseFramings)
        func responseBodyReachesTheClientIntact(_ framing: TestUpstream.Framing) throws {
            let fx = try CoreFixture()
            defer { fx.stop() }
            fx.upstream.handle("/big", .large(bytes: Self.mebibyte, framing: framing))
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            client.send(path: "/big")
            let r = try client.readResponse()
            #expect(r.status == 200)
            #expect(r.body.count == Self.mebibyte)
            let same = r.body.elementsEqual(TestUpstream.pattern(count: Self.mebibyte))
            #expect(same, "body differs")
            if framing == .contentLength {
                #expect(r.header("Content-Length") == String(Self.mebibyte))
                #expect(r.header("Transfer-Encoding") == nil)
            } else {
                // Re-encoded so that an HTTP/1.1 client can keep its connection.
                #expect(r.header("Transfer-Encoding") == "chunked")
                #expect(r.header("Content-Length") == nil)
            }
            #expect(r.header("Connection") == nil)
            // The framing ended exactly where the body did: the next request on the connection works.
            client.send(path: "/after", headers: [("Connection", "close")])
            let next = try client.readResponse()
            #expect(next.status == 200)
            #expect(next.echoed("target") as? String == "/after")
            #expect(fx.upstream.received.map(\.path) == ["/big", "/after"])
        }

        @Test func shortCloseDelimitedResponseCompletes() throws {
            let fx = try CoreFixture()
            defer { fx.stop() }
            // Body and FIN arrive together: the end of the body is the upstream's EOF.
            fx.upstream.handle("/short", .rawResponse(Array("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil close".utf8)))
            let started = monotonicSeconds()
            let r = try TestClient.request(port: fx.port, path: "/short")
            #expect(r.status == 200)
            #expect(r.bodyText == "until close")
            #expect(r.header("Transfer-Encoding") == "chunked")
            #expect(monotonicSeconds() - started < 1)
            #expect(fx.upstream.received.map(\.path) == ["/short"])
        }
    }
}
