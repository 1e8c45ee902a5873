import Glibc
import Testing

/// Proves the test kit against itself, so gateway tests can trust what TestUpstream records and TestClient reads.
@Suite struct TestKitTests {
    @Test func defaultEchoRecordsRequestsAndKeepsTheConnectionAlive() throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let client = try TestClient(port: upstream.port)
        client.send("GET /a?x=1 HTTP/1.1\r\nHost: h\r\nX-Dup: 1\r\nx-dup: 2\r\n\r\n")
        let first = try client.readResponse()
        client.send(method: "POST", path: "/b", body: Array("hi".utf8))
        let second = try client.readResponse()

        #expect(first.status == 200)
        #expect(first.json?["target"] as? String == "/a?x=1")
        #expect(second.json?["method"] as? String == "POST")
        #expect(second.json?["body_length"] as? Int == 2)
        #expect(upstream.acceptCount == 1)
        let received = upstream.received
        #expect(received.count == 2)
        #expect(received.map(\.connectionID) == [1, 1])
        #expect(received[0].headers.map(\.0) == ["Host", "X-Dup", "x-dup"])
        #expect(received[0].headers(named: "X-DUP") == ["1", "2"])
        #expect(received[0].header("x-dup") == "1")
        #expect(received[0].path == "/a")
        #expect(received[1].body == Array("hi".utf8))
        #expect(upstream.protocolErrors.isEmpty)
    }

    @Test func chunkedRequestIsDecodedAndEchoedChunked() throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        upstream.handle("/echo", .echoBody)
        let client = try TestClient(port: upstream.port)
        client.send("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n")
        let response = try client.readResponse()

        #expect(response.header("transfer-encoding") == "chunked")
        #expect(response.bodyText == "hello world")
        let received = try #require(upstream.received.first)
        #expect(received.chunked)
        #expect(received.bodyText == "hello world")
    }

    @Test(arguments: [
        TestUpstream.Framing.contentLength, .chunked(chunkSize: 7), .closeDelimited,
    ])
    func respondFramingsRoundTrip(framing: TestUpstream.Framing) throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let body = TestUpstream.pattern(count: 1000)
        upstream.handle("/r", .respond(status: 201, headers: [("X-A", "b")], body: body, framing: framing))
        let client = try TestClient(port: upstream.port)
        client.send(path: "/r")
        let response = try client.readResponse()

        #expect(response.status == 201)
        #expect(response.reason == "Created")
        #expect(response.header("x-a") == "b")
        #expect(response.body == body)
        if framing == .closeDelimited {
            #expect(client.isClosedByPeer(within: 2))
        } else {
            #expect(!client.isClosedByPeer(within: 0.05))
        }
    }

    @Test func largeBodyIsThePattern() throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        upstream.handle("/big", .large(bytes: 300_000, framing: .chunked(chunkSize: 16_384)))
        let response = try TestClient.request(port: upstream.port, path: "/big/file")

        #expect(response.body.count == 300_000)
        #expect(response.body[251] == 0)
        #expect(response.body[252] == 1)
        #expect(response.body == TestUpstream.pattern(count: 300_000))
    }

    @Test func longestPrefixWins() throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        upstream.handle("/", .respond(status: 404, headers: [], body: [], framing: .contentLength))
        upstream.handle("/api", .respond(status: 204, headers: [], body: [], framing: .contentLength))

        #expect(try TestClient.request(port: upstream.port, path: "/api/x").status == 204)
        #expect(try TestClient.request(port: upstream.port, path: "/other").status == 404)
    }

    @Test func closeMidResponseTruncatesTheBody() throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        upstream.handle("/", .closeMidResponse(sendBytes: 100))
        let client = try TestClient(port: upstream.port)
        client.send(path: "/x")

        #expect(throws: TestKitError.self) { try client.readResponse() }
        #expect(client.isClosedByPeer(within: 2))
    }

    @Test func closeImmediatelySendsNothing() throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        upstream.handle("/", .closeImmediately)
        let client = try TestClient(port: upstream.port)
        client.send(path: "/x")

        #expect(client.readUntilClose().isEmpty)
        #expect(upstream.waitForRequests(count: 1, timeout: 2))
    }

    @Test func rawResponseIsSentVerbatimThenClosed() throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let raw = Array("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd".utf8)
        upstream.handle("/", .rawResponse(raw))
        let client = try TestClient(port: upstream.port)
        client.send(path: "/x")

        #expect(client.readUntilClose() == raw)
    }

    @Test func strictParsingRejectsAmbiguousFraming() throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        upstream.handle("/", .rawResponse(Array("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd".utf8)))
        let client = try TestClient(port: upstream.port)
        client.send(path: "/x")

        #expect(throws: TestKitError.self) { try client.readResponse() }
    }

    @Test(arguments: [
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1, 1\r\n\r\nx",
        "GET / HTTP/1.1\nHost: h\r\n\r\n",
        "GET / HTTP/1.1\r\nHost : h\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n",
        "GET /  HTTP/1.1\r\nHost: h\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n",
    ])
    func malformedRequestsAreRecordedAsProtocolErrors(request: String) throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let client = try TestClient(port: upstream.port)
        client.send(request)

        #expect(client.isClosedByPeer(within: 2))
        #expect(upstream.protocolErrors.count == 1)
        #expect(upstream.received.isEmpty)
    }

    @Test func connectionCloseIsHonoured() throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let client = try TestClient(port: upstream.port)
        client.send(path: "/", headers: [("Connection", "close")])
        let response = try client.readResponse()

        #expect(response.header("connection") == "close")
        #expect(client.isClosedByPeer(within: 2))
        client.close()
        #expect(waitUntil(timeout: 1) { upstream.openConnectionCount == 0 })
    }

    @Test func interimResponsesCanBeReadSeparately() throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let raw = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        upstream.handle("/skip", .rawResponse(Array(raw.utf8)))
        upstream.handle("/keep", .rawResponse(Array(raw.utf8)))

        let skipping = try TestClient(port: upstream.port)
        skipping.send(path: "/skip")
        #expect(try skipping.readResponse().status == 200)

        let keeping = try TestClient(port: upstream.port)
        keeping.send(path: "/keep")
        #expect(try keeping.readResponse(skipInterim: false).status == 100)
        #expect(try keeping.readResponse(skipInterim: false).bodyText == "ok")
    }

    @Test func stopInterruptsDelaysAndHeldConnections() throws {
        let upstream = TestUpstream()
        try upstream.start()
        upstream.handle("/slow", .delay(seconds: 60, then: .echoBody))
        upstream.handle("/never", .neverRespond)
        let slow = try TestClient(port: upstream.port)
        let never = try TestClient(port: upstream.port)
        slow.send(path: "/slow")
        never.send(path: "/never")
        #expect(upstream.waitForRequests(count: 2, timeout: 2))
        #expect(!never.isClosedByPeer(within: 0.05))

        let started = monotonicSeconds()
        upstream.stop()
        #expect(monotonicSeconds() - started < 5)
        #expect(slow.readUntilClose().isEmpty)
        #expect(never.isClosedByPeer(within: 2))
        #expect(upstream.openConnectionCount == 0)
    }

    @Test func waitForRequestsTimesOutWhenNothingArrives() throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        #expect(!upstream.waitForRequests(count: 1, timeout: 0.05))
    }

    @Test func headResponseHasNoBody() throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let response = try TestClient.request(port: upstream.port, method: "HEAD", path: "/")
        #expect(response.status == 200)
        #expect(Int(response.header("content-length") ?? "") ?? 0 > 0)
        #expect(response.body.isEmpty)
    }

    @Test func fdCountSeesDescriptors() throws {
        var pipes: [Int32] = []
        defer { for fd in pipes { close(fd) } }
        for _ in 0..<64 {
            var p: [Int32] = [0, 0]
            #expect(pipe(&p) == 0)
            pipes += p
        }
        #expect(FDCount.open() >= 128 + 3)
    }
}
