import Testing

extension CoreTests {
    /// Routing and request-line limits: what is refused (with which status and code) and what the upstream
    /// then gets, or does not get.
    @Suite(.serialized) struct Routing {
        static let routes = """
            [
              {"path": "/items", "methods": ["GET", "POST"], "upstream": "backend", "auth": "public"},
              {"prefix": "/files", "upstream": "backend", "auth": "public"},
              {"prefix": "/raw", "upstream": "backend", "auth": "public", "allow_encoded_slash": true},
              {"prefix": "/small", "upstream": "backend", "auth": "public", "max_body_bytes": 1000},
              {"prefix": "/public", "upstream": "backend", "auth": "public"},
              {"prefix": "/etc", "upstream": "backend", "auth": "public"}
            ]
            """
        static let limits = #""limits": {"max_target_bytes": 256, "max_headers": 10}"#

        @Test func unknownPathIs404() throws {
            let fx = try CoreFixture(routes: Self.routes)
            defer { fx.stop() }
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            #expect(client.send(path: "/nowhere"))
            let r = try client.readResponse()
            #expect(r.status == 404)
            #expect(r.errorCode == "not_found")
            #expect(r.header("Connection") == nil)
            // A routing refusal keeps the connection.
            #expect(client.send(path: "/items"))
            #expect(try client.readResponse().status == 200)
            #expect(fx.upstream.received.map(\.path) == ["/items"])
        }

        @Test func wrongMethodIs405WithAllow() throws {
            let fx = try CoreFixture(routes: Self.routes)
            defer { fx.stop() }
            let r = try TestClient.request(port: fx.port, method: "DELETE", path: "/items")
            #expect(r.status == 405)
            #expect(r.errorCode == "method_not_allowed")
            let allow = (r.header("Allow") ?? "").split(separator: ",").map { KitWire.trim($0) }
            #expect(allow.contains("GET") && allow.contains("POST"))
            #expect(!allow.contains("DELETE"))
            #expect(fx.upstream.acceptCount == 0)
        }

        @Test func encodedSlashIsRefusedUnlessTheRouteAllowsIt() throws {
            let fx = try CoreFixture(routes: Self.routes)
            defer { fx.stop() }
            let refused = try TestClient.request(port: fx.port, path: "/files/a%2Fb")
            #expect(refused.status == 400)
            #expect(refused.errorCode == "encoded_slash")
            let lower = try TestClient.request(port: fx.port, path: "/files/a%2fb")
            #expect(lower.status == 400)
            #expect(lower.errorCode == "encoded_slash")
            #expect(fx.upstream.received.isEmpty)
            let allowed = try TestClient.request(port: fx.port, path: "/raw/a%2Fb?x=%2F")
            #expect(allowed.status == 200)
            #expect(fx.upstream.received.map(\.target) == ["/raw/a%2Fb?x=%2F"])
        }

        @Test(arguments: [
            ("/a/../../etc", "/etc"),
            ("/public/../etc/passwd", "/etc/passwd"),
            ("/public/%2e%2e/etc", "/etc"),
            ("/public/./x//y/", "/public/x/y/"),
        ])
        func pathTraversalIsNormalisedBeforeRouting(_ sent: String, _ forwarded: String) throws {
            let fx = try CoreFixture(routes: Self.routes)
            defer { fx.stop() }
            let r = try TestClient.request(port: fx.port, path: sent)
            #expect(r.status == 200)
            #expect(r.echoed("target") as? String == forwarded)
            #expect(fx.upstream.received.map(\.target) == [forwarded])
        }

        @Test func traversalOutOfAPublicPrefixIsRoutedByItsNormalisedPath() throws {
            let fx = try CoreFixture(routes: Self.routes)
            defer { fx.stop() }
            let r = try TestClient.request(port: fx.port, path: "/public/../admin")
            #expect(r.status == 404)
            #expect(r.errorCode == "not_found")
            #expect(fx.upstream.acceptCount == 0)
        }

        @Test func overlongTargetIs414() throws {
            let fx = try CoreFixture(routes: Self.routes, extra: Self.limits)
            defer { fx.stop() }
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            #expect(client.send(path: "/files/" + String(repeating: "a", count: 300)))
            let r = try client.readResponse()
            #expect(r.status == 414)
            #expect(r.errorCode == "uri_too_long")
            #expect(client.isClosedByPeer(within: 2))
            #expect(fx.upstream.acceptCount == 0)
        }

        @Test func targetAtTheLimitIsForwarded() throws {
            let fx = try CoreFixture(routes: Self.routes, extra: Self.limits)
            defer { fx.stop() }
            let path = "/files/" + String(repeating: "a", count: 256 - 7)
            let r = try TestClient.request(port: fx.port, path: path)
            #expect(r.status == 200)
            #expect(fx.upstream.received.map(\.target) == [path])
        }

        @Test func tooManyHeadersIs431() throws {
            let fx = try CoreFixture(routes: Self.routes, extra: Self.limits)
            defer { fx.stop() }
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            #expect(client.send(path: "/files/x", headers: (1...20).map { ("X-H\($0)", "v") }))
            let r = try client.readResponse()
            #expect(r.status == 431)
            #expect(r.errorCode == "headers_too_large")
            #expect(client.isClosedByPeer(within: 2))
            #expect(fx.upstream.acceptCount == 0)
        }

        @Test func bodyOverTheRouteLimitIs413() throws {
            let fx = try CoreFixture(routes: Self.routes)
            defer { fx.stop() }
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            // Only the head: the client waits for a verdict before sending 5000 bytes.
            #expect(client.send("POST /small/up HTTP/1.1\r\nHost: h\r\nContent-Length: 5000\r\n\r\n"))
            let r = try client.readResponse()
            #expect(r.status == 413)
            #expect(r.errorCode == "payload_too_large")
            #expect(client.isClosedByPeer(within: 2))
            #expect(fx.upstream.acceptCount == 0)
            // At the limit it passes.
            let ok = try TestClient.request(port: fx.port, method: "POST", path: "/small/up", body: [UInt8](repeating: 7, count: 1000))
            #expect(ok.status == 200)
            #expect(fx.upstream.received.map(\.body.count) == [1000])
        }

        @Test func chunkedBodyOverTheRouteLimitIs413AndNeverCompletes() throws {
            let fx = try CoreFixture(routes: Self.routes)
            defer { fx.stop() }
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            let body = KitWire.chunked([UInt8](repeating: 7, count: 1500), chunkSize: 500)
            #expect(client.send(Array("POST /small/up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n".utf8) + body))
            let r = try client.readResponse()
            #expect(r.status == 413)
            #expect(r.errorCode == "payload_too_large")
            #expect(client.isClosedByPeer(within: 2))
            #expect(waitUntil(timeout: 5) { fx.upstream.openConnectionCount == 0 })
            #expect(fx.upstream.received.isEmpty)
        }

        @Test func http2RequestLineIs505() throws {
            let fx = try CoreFixture(routes: Self.routes)
            defer { fx.stop() }
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            #expect(client.send("GET /items HTTP/2.0\r\nHost: h\r\n\r\n"))
            let r = try client.readResponse()
            #expect(r.status == 505)
            #expect(r.errorCode == "http_version_not_supported")
            #expect(client.isClosedByPeer(within: 2))
            #expect(fx.upstream.acceptCount == 0)
        }

        @Test func connectIs501() throws {
            let fx = try CoreFixture(routes: Self.routes)
            defer { fx.stop() }
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            #expect(client.send("CONNECT internal.example:443 HTTP/1.1\r\nHost: internal.example:443\r\n\r\n"))
            let r = try client.readResponse()
            #expect(r.status == 501)
            #expect(r.errorCode == "not_implemented")
            #expect(client.isClosedByPeer(within: 2))
            #expect(fx.upstream.acceptCount == 0)
        }

        @Test(arguments: [false, true])
        func http10RequestGetsACompleteResponseAndClose(_ chunkedUpstream: Bool) throws {
            let fx = try CoreFixture(routes: Self.routes)
            defer { fx.stop() }
            if chunkedUpstream { fx.upstream.handle("/files/big", .large(bytes: 100_000, framing: .chunked(chunkSize: 4096))) }
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            #expect(client.send("GET /files/big HTTP/1.0\r\n\r\n"))
            let r = try client.readResponse()
            #expect(r.status == 200)
            // An HTTP/1.0 client cannot read chunked: the body is close-delimited or has a length.
            #expect(r.header("Transfer-Encoding") == nil)
            if chunkedUpstream {
                #expect(r.body.count == 100_000)
                let same = r.body.elementsEqual(TestUpstream.pattern(count: 100_000))
                #expect(same, "body differs")
            } else {
                #expect(r.echoed("target") as? String == "/files/big")
                #expect(r.header("Connection") == "close")
            }
            #expect(client.isClosedByPeer(within: 2))
            // Forwarded as HTTP/1.1, which needs a Host even when the HTTP/1.0 client sent none.
            #expect(fx.upstream.protocolErrors.isEmpty)
            let got = try #require(fx.upstream.received.first)
            #expect(got.version == "HTTP/1.1")
            #expect(got.target == "/files/big")
            #expect(got.headers(named: "Host").count == 1)
        }

        @Test func expectContinueGets100BeforeTheFinalResponse() throws {
            let fx = try CoreFixture(routes: Self.routes)
            defer { fx.stop() }
            fx.upstream.handle("/files/echo", .echoBody)
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            #expect(client.send("POST /files/echo HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n"))
            let interim = try client.readResponse(skipInterim: false)
            #expect(interim.status == 100)
            #expect(fx.upstream.received.isEmpty)
            #expect(client.send("hello world"))
            let r = try client.readResponse(skipInterim: false)
            #expect(r.status == 200)
            #expect(r.bodyText == "hello world")
            let got = try #require(fx.upstream.received.first)
            #expect(got.bodyText == "hello world")
            #expect(got.header("Expect") == nil)
        }

        @Test func unsupportedExpectationIs417() throws {
            let fx = try CoreFixture(routes: Self.routes)
            defer { fx.stop() }
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            #expect(client.send("POST /files/x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nExpect: something-else\r\n\r\n"))
            let r = try client.readResponse()
            #expect(r.status == 417)
            #expect(r.errorCode == "expectation_failed")
            #expect(fx.upstream.acceptCount == 0)
        }
    }
}
