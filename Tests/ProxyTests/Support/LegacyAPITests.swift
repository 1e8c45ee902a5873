import EventLoop
import LegacyAPI
import Foundation
import Testing

/// The example legacy API on its own, over real sockets: what the gateway's end-to-end tests put behind it.
@Suite struct LegacyAPITests {
    private func withServer(threads: Int = 1, _ body: (UInt16) throws -> Void) throws {
        let address = try #require(SocketAddress(host: "127.0.0.1", port: 0))
        let server = LegacyAPIServer(listen: address, threads: threads)
        let port = try server.start()
        defer { server.stop() }
        try body(port)
    }

    struct Endpoint: Sendable, CustomStringConvertible {
        let method: String
        let path: String
        let status: Int
        let field: String
        let value: String?
        var description: String { "\(method) \(path)" }
    }

    @Test(arguments: [
        Endpoint(method: "GET", path: "/api/unsecure", status: 200, field: "message", value: "anyone can see this"),
        Endpoint(method: "GET", path: "/healthz", status: 200, field: "status", value: "ok"),
        Endpoint(method: "GET", path: "/api/secure", status: 200, field: "message", value: "hello anonymous"),
        Endpoint(method: "GET", path: "/api/admin/report", status: 200, field: "generated_for", value: "anonymous"),
        Endpoint(method: "GET", path: "/api/nothing", status: 404, field: "error", value: "not_found"),
        Endpoint(method: "GET", path: "/api", status: 404, field: "error", value: "not_found"),
        Endpoint(method: "DELETE", path: "/api/secure", status: 405, field: "error", value: "method_not_allowed"),
        Endpoint(method: "GET", path: "/api/unsecure?x=1", status: 200, field: "message", value: "anyone can see this"),
    ])
    func endpoints(endpoint: Endpoint) throws {
        try withServer { port in
            let response = try TestClient.request(port: port, method: endpoint.method, path: endpoint.path)
            #expect(response.status == endpoint.status)
            #expect(response.header("content-type") == "application/json")
            #expect(response.json?[endpoint.field] as? String == endpoint.value)
        }
    }

    @Test func rootIsAPlaceholderPage() throws {
        try withServer { port in
            let response = try TestClient.request(port: port, path: "/")
            #expect(response.status == 200)
            #expect(response.bodyText == "legacy api\n")
        }
    }

    @Test func secureTrustsTheGatewayIdentityHeaders() throws {
        try withServer { port in
            let response = try TestClient.request(
                port: port, path: "/api/secure", headers: [("X-Auth-Subject", "alice"), ("X-Auth-Roles", "admin, reader")])
            #expect(response.json?["message"] as? String == "hello alice")
            #expect(response.json?["subject"] as? String == "alice")
            #expect(response.json?["roles"] as? [String] == ["admin", "reader"])

            let report = try TestClient.request(port: port, path: "/api/admin/report", headers: [("X-Auth-Subject", "root")])
            #expect(report.json?["generated_for"] as? String == "root")
            #expect(report.json?["report"] is [String: Any])
        }
    }

    @Test func echoReturnsEverythingReceived() throws {
        try withServer { port in
            let response = try TestClient.request(
                port: port, method: "POST", path: "/api/echo?a=1&b=2", headers: [("X-One", "1"), ("x-one", "2")],
                body: Array("{\"k\":\"v\"}".utf8))
            let json = try #require(response.json)
            #expect(json["method"] as? String == "POST")
            #expect(json["path"] as? String == "/api/echo")
            #expect(json["query"] as? String == "a=1&b=2")
            #expect(json["body"] as? String == "{\"k\":\"v\"}")
            #expect(json["body_encoding"] as? String == "utf8")
            let headers = try #require(json["headers"] as? [String: String])
            #expect(headers["x-one"] == "1, 2")
            #expect(headers["content-length"] == "9")
        }
    }

    @Test func echoDecodesChunkedAndBinaryBodies() throws {
        try withServer { port in
            let client = try TestClient(port: port)
            client.send("POST /api/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n")
            client.send([0xFF, 0x00, 0x61, 0x0D, 0x0A])
            client.send("2\r\nbc\r\n0\r\n\r\n")
            let json = try #require(try client.readResponse().json)
            #expect(json["body"] as? String == "/wBhYmM=")
            #expect(json["body_encoding"] as? String == "base64")
            #expect(json["body_length"] as? Int == 5)
            #expect(json["query"] is NSNull)
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws {
        try withServer { port in
            let client = try TestClient(port: port)
            let requests = ["/healthz", "/api/unsecure", "/missing"].map {
                TestClient.requestBytes(method: "GET", path: $0, headers: [], body: [])
            }
            client.send(requests.flatMap { $0 } + TestClient.requestBytes(method: "POST", path: "/api/echo", headers: [], body: Array("x".utf8)))
            #expect(try client.readResponse().json?["status"] as? String == "ok")
            #expect(try client.readResponse().json?["message"] as? String == "anyone can see this")
            #expect(try client.readResponse().status == 404)
            #expect(try client.readResponse().json?["body"] as? String == "x")
            #expect(!client.isClosedByPeer(within: 0.05))
        }
    }

    @Test func manyPipelinedRequestsAndALargeBodySurviveBufferBoundaries() throws {
        try withServer { port in
            let client = try TestClient(port: port)
            let one = TestClient.requestBytes(method: "GET", path: "/healthz", headers: [], body: [])
            client.send(Array([[UInt8]](repeating: one, count: 500).joined()))
            for _ in 0..<500 { #expect(try client.readResponse().status == 200) }
            let body = [UInt8](repeating: UInt8(ascii: "a"), count: 600_000)
            client.send(method: "POST", path: "/api/echo", body: body)
            let json = try #require(try client.readResponse().json)
            #expect(json["body_length"] as? Int == 600_000)
            #expect((json["body"] as? String)?.utf8.count == 600_000)
        }
    }

    @Test func connectionCloseIsHonoured() throws {
        try withServer { port in
            let client = try TestClient(port: port)
            client.send(path: "/healthz", headers: [("Connection", "close")])
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("connection") == "close")
            #expect(client.isClosedByPeer(within: 2))
        }
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\n\r\n", 400),
        ("POST /api/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("POST /api/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000\r\n\r\n", 413),
        ("POST /api/echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
    ])
    func malformedRequestsGetAnErrorAndAClose(request: String, status: Int) throws {
        try withServer { port in
            let client = try TestClient(port: port)
            client.send(request)
            let response = try client.readResponse()
            #expect(response.status == status)
            #expect(response.errorCode != nil)
            #expect(client.isClosedByPeer(within: 2))
        }
    }

    @Test func headOmitsTheBody() throws {
        try withServer { port in
            let response = try TestClient.request(port: port, method: "HEAD", path: "/healthz")
            #expect(response.status == 200)
            #expect(response.header("content-length") == "16")
            #expect(response.body.isEmpty)
        }
    }

    @Test func expectContinueGetsAnInterimResponse() throws {
        try withServer { port in
            let client = try TestClient(port: port)
            client.send("POST /api/echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
            #expect(try client.readResponse(skipInterim: false).status == 100)
            client.send("ok")
            #expect(try client.readResponse().json?["body"] as? String == "ok")
        }
    }

    @Test func severalThreadsServeManyConnections() throws {
        try withServer(threads: 2) { port in
            let clients = try (0..<16).map { _ in try TestClient(port: port) }
            for client in clients { client.send(path: "/healthz") }
            for client in clients { #expect(try client.readResponse().status == 200) }
        }
    }

    @Test func stopClosesOpenConnections() throws {
        let address = try #require(SocketAddress(host: "127.0.0.1", port: 0))
        let server = LegacyAPIServer(listen: address)
        let port = try server.start()
        let client = try TestClient(port: port)
        client.send(path: "/healthz")
        #expect(try client.readResponse().status == 200)
        server.stop()
        #expect(client.isClosedByPeer(within: 2))
        #expect(throws: TestKitError.self) { try TestClient(port: port) }
    }
}
