import Testing

extension CoreTests {
    /// Request smuggling through the real gateway: every message whose end the gateway and an upstream could
    /// judge differently is refused with 400 before anything reaches the upstream, and the connection closes
    /// because the start of the next request is unknown.
    @Suite(.serialized) struct Smuggling {
        struct Case: CustomTestStringConvertible, Sendable {
            let name: String
            let bytes: String
            let code: String
            var testDescription: String { name }
        }

        static let headCases = [
            Case(
                name: "CL.TE", bytes: "POST /s HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG",
                code: "ambiguous_framing"),
            Case(
                name: "TE.CL",
                bytes: "POST /s HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n"
                    + "5c\r\nGPOST /admin HTTP/1.1\r\nContent-Length: 15\r\n\r\nx=1\r\n0\r\n\r\n",
                code: "ambiguous_framing"),
            Case(
                name: "TE.CL with CL in a second block",
                bytes: "POST /s HTTP/1.1\r\nTransfer-Encoding: chunked\r\nHost: h\r\nContent-Length: 0\r\n\r\n1\r\nZ\r\n0\r\n\r\n",
                code: "ambiguous_framing"),
            Case(name: "xchunked", bytes: "POST /s HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", code: "invalid_transfer_encoding"),
            Case(
                name: "chunked, identity", bytes: "POST /s HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
                code: "invalid_transfer_encoding"),
            Case(
                name: "chunked twice", bytes: "POST /s HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                code: "invalid_transfer_encoding"),
            Case(
                name: "tab before colon", bytes: "POST /s HTTP/1.1\r\nHost: h\r\nTransfer-Encoding\t: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
                code: "invalid_header_name"),
            Case(
                name: "space before colon", bytes: "POST /s HTTP/1.1\r\nHost: h\r\nContent-Length : 3\r\n\r\nabc",
                code: "invalid_header_name"),
            Case(
                name: "duplicate Content-Length", bytes: "POST /s HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
                code: "invalid_content_length"),
            Case(
                name: "differing Content-Length", bytes: "POST /s HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 0\r\n\r\nabc",
                code: "invalid_content_length"),
            Case(name: "Content-Length list", bytes: "POST /s HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 3\r\n\r\nabc", code: "invalid_content_length"),
            Case(name: "signed Content-Length", bytes: "POST /s HTTP/1.1\r\nHost: h\r\nContent-Length: +3\r\n\r\nabc", code: "invalid_content_length"),
            Case(
                name: "folded Transfer-Encoding", bytes: "POST /s HTTP/1.1\r\nHost: h\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n",
                code: "obsolete_line_folding"),
            Case(name: "bare LF", bytes: "GET /s HTTP/1.1\nHost: h\n\n", code: "invalid_line_ending"),
            Case(name: "NUL in a value", bytes: "GET /s HTTP/1.1\r\nHost: h\r\nX-A: a\u{0}b\r\n\r\n", code: "invalid_header_value"),
            Case(
                name: "chunked in HTTP/1.0", bytes: "POST /s HTTP/1.0\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                code: "transfer_encoding_in_http10"),
            Case(name: "two Hosts", bytes: "GET /s HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", code: "duplicate_host"),
            Case(name: "no Host", bytes: "GET /s HTTP/1.1\r\nX-A: 1\r\n\r\n", code: "missing_host"),
            Case(
                name: "Connection names Content-Length",
                bytes: "POST /s HTTP/1.1\r\nHost: h\r\nConnection: Content-Length\r\nContent-Length: 3\r\n\r\nabc",
                code: "invalid_connection_header"),
        ]

        @Test(arguments: headCases)
        func ambiguousHeadIsRefusedBeforeTheUpstream(_ c: Case) throws {
            let fx = try CoreFixture()
            defer { fx.stop() }
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            #expect(client.send(c.bytes))
            let r = try client.readResponse()
            #expect(r.status == 400)
            #expect(r.errorCode == c.code)
            #expect(r.header("Connection") == "close")
            #expect(client.isClosedByPeer(within: 2))
            #expect(fx.upstream.acceptCount == 0)
            #expect(fx.upstream.received.isEmpty)
        }

        @Test func aValidRequestBeforeASmuggledOneIsTheOnlyOneForwarded() throws {
            let fx = try CoreFixture()
            defer { fx.stop() }
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            let bytes = "GET /first HTTP/1.1\r\nHost: h\r\n\r\n"
                + "POST /second HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG"
            #expect(client.send(bytes))
            let first = try client.readResponse()
            #expect(first.status == 200)
            #expect(first.echoed("target") as? String == "/first")
            let second = try client.readResponse()
            #expect(second.status == 400)
            #expect(second.errorCode == "ambiguous_framing")
            #expect(client.isClosedByPeer(within: 2))
            #expect(fx.upstream.received.map(\.target) == ["/first"])
        }

        static let chunkCases = [
            Case(name: "size overflow", bytes: "FFFFFFFFFFFFFFFFF1\r\nabc\r\n0\r\n\r\n", code: "invalid_chunk"),
            Case(name: "0x prefix", bytes: "0x3\r\nabc\r\n0\r\n\r\n", code: "invalid_chunk"),
            Case(name: "data longer than size", bytes: "3\r\nabcd\r\n0\r\n\r\n", code: "invalid_chunk"),
            Case(name: "bare LF after size", bytes: "3\nabc\r\n0\r\n\r\n", code: "invalid_chunk"),
            Case(name: "space in size", bytes: "3 \r\nabc\r\n0\r\n\r\n", code: "invalid_chunk"),
        ]

        @Test(arguments: chunkCases)
        func malformedChunkedBodyNeverReachesTheUpstreamWhole(_ c: Case) throws {
            let fx = try CoreFixture()
            defer { fx.stop() }
            let client = try TestClient(port: fx.port)
            defer { client.close() }
            #expect(client.send("POST /chunks HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + c.bytes))
            let r = try client.readResponse()
            #expect(r.status == 400)
            #expect(r.errorCode == c.code)
            #expect(r.header("Connection") == "close")
            #expect(client.isClosedByPeer(within: 2))
            // The head may have been forwarded already; the body never completes.
            #expect(waitUntil(timeout: 5) { fx.upstream.openConnectionCount == 0 })
            #expect(fx.upstream.received.isEmpty)
        }
    }
}
