import Testing

extension CoreTests {
    /// What the upstream receives for a request that passes: method, normalised path, query, body and the
    /// header rewriting (hop-by-hop removed, forwarding headers set, identity headers a client sent dropped).
    @Suite(.serialized) struct Forwarding {
        struct MethodCase: CustomTestStringConvertible, Sendable {
            let method: String
            let target: String
            let forwardedTarget: String
            let body: String
            var testDescription: String { "\(method) \(target)" }
        }

        static let methodCases = [
            MethodCase(method: "GET", target: "/api//v1/./items?q=a%20b&x=1", forwardedTarget: "/api/v1/items?q=a%20b&x=1", body: ""),
            MethodCase(method: "POST", target: "/api/v1/new/../items?dry=1", forwardedTarget: "/api/v1/items?dry=1", body: #"{"name":"x"}"#),
            MethodCase(method: "PUT", target: "/api/v1/items/%7E7?v=%2F&w=..", forwardedTarget: "/api/v1/items/~7?v=%2F&w=..", body: "replace"),
            MethodCase(method: "DELETE", target: "/api/v1/items/7", forwardedTarget: "/api/v1/items/7", body: ""),
        ]

        @Test(arguments: methodCases)
        func methodPathQueryAndBodyAreForwarded(_ c: MethodCase) throws {
            let fx = try CoreFixture()
            defer { fx.stop() }
            let r = try TestClient.request(port: fx.port, method: c.method, path: c.target, body: Array(c.body.utf8))
            #expect(r.status == 200)
            #expect(r.echoed("target") as? String == c.forwardedTarget)
            #expect(fx.upstream.waitForRequests(count: 1, timeout: 5))
            let got = try #require(fx.upstream.received.first)
            #expect(fx.upstream.received.count == 1)
            #expect(got.method == c.method)
            #expect(got.target == c.forwardedTarget)
            #expect(got.version == "HTTP/1.1")
            #expect(got.bodyText == c.body)
            #expect(fx.upstream.protocolErrors.isEmpty)
        }

        @Test func headersAreRewrittenForTheUpstream() throws {
            let fx = try CoreFixture()
            defer { fx.stop() }
            let sent: [(String, String)] = [
                ("Host", "api.example:8080"),
                ("Connection", "keep-alive, X-Custom-Hop"),
                ("X-Custom-Hop", "secret"),
                ("Keep-Alive", "timeout=5"),
                ("TE", "trailers"),
                ("Upgrade", "websocket"),
                ("Proxy-Authorization", "Basic Zm9vOmJhcg=="),
                ("Proxy-Connection", "keep-alive"),
                ("X-Forwarded-For", "203.0.113.7"),
                ("X-Forwarded-Proto", "https"),
                ("X-Forwarded-Host", "evil.example"),
                ("X-Auth-Subject", "mallory"),
                ("x-auth-roles", "admin"),
                ("X_Auth_Subject", "mallory"),
                ("Some_Header", "1"),
                ("X-Request-Id", "client-id-1.2_3:4"),
                ("X-Kept", "yes"),
                ("Accept", "application/json"),
            ]
            let r = try TestClient.request(port: fx.port, path: "/h", headers: sent)
            #expect(r.status == 200)
            #expect(r.header("X-Request-Id") == "client-id-1.2_3:4")
            #expect(fx.upstream.waitForRequests(count: 1, timeout: 5))
            let got = try #require(fx.upstream.received.first)
            for name in ["Connection", "X-Custom-Hop", "Keep-Alive", "TE", "Upgrade", "Proxy-Authorization", "Proxy-Connection"] {
                #expect(got.header(name) == nil, "\(name) is hop-by-hop")
            }
            #expect(got.headers(named: "X-Forwarded-For") == ["203.0.113.7, 127.0.0.1"])
            #expect(got.headers(named: "X-Forwarded-Proto") == ["http"])
            #expect(got.headers(named: "X-Forwarded-Host") == ["api.example:8080"])
            #expect(got.headers(named: "X-Request-Id") == ["client-id-1.2_3:4"])
            #expect(!got.headers.contains { $0.0.lowercased().hasPrefix("x-auth-") }, "identity namespace is the gateway's")
            #expect(!got.headers.contains { $0.0.contains("_") }, "underscore names alias identity headers in CGI")
            #expect(got.header("X-Kept") == "yes")
            #expect(got.header("Accept") == "application/json")
            #expect(got.headers(named: "Host") == ["api.example:8080"])
        }

        @Test func xForwardedForIsTheAddressAloneWithoutAClientValue() throws {
            let fx = try CoreFixture()
            defer { fx.stop() }
            let r = try TestClient.request(port: fx.port, path: "/xff")
            #expect(r.status == 200)
            #expect(fx.upstream.waitForRequests(count: 1, timeout: 5))
            let got = try #require(fx.upstream.received.first)
            #expect(got.headers(named: "X-Forwarded-For") == ["127.0.0.1"])
            #expect(got.headers(named: "X-Forwarded-Host") == ["127.0.0.1"])
        }

        struct RequestIDCase: CustomTestStringConvertible, Sendable {
            let name: String
            let sent: String?
            let echoed: Bool
            var testDescription: String { name }
        }

        static let requestIDCases = [
            RequestIDCase(name: "none sent", sent: nil, echoed: false),
            RequestIDCase(name: "sane", sent: "req-42", echoed: true),
            RequestIDCase(name: "64 bytes", sent: String(repeating: "a", count: 64), echoed: true),
            RequestIDCase(name: "65 bytes", sent: String(repeating: "a", count: 65), echoed: false),
            RequestIDCase(name: "space", sent: "a b", echoed: false),
            RequestIDCase(name: "quote", sent: "a\"b", echoed: false),
        ]

        @Test(arguments: requestIDCases)
        func requestIDIsEchoedWhenSaneElseGenerated(_ c: RequestIDCase) throws {
            let fx = try CoreFixture()
            defer { fx.stop() }
            let headers = c.sent.map { [("X-Request-Id", $0)] } ?? []
            let r = try TestClient.request(port: fx.port, path: "/rid", headers: headers)
            #expect(r.status == 200)
            #expect(fx.upstream.waitForRequests(count: 1, timeout: 5))
            let got = try #require(fx.upstream.received.first)
            let forwarded = try #require(got.header("X-Request-Id"))
            #expect(got.headers(named: "X-Request-Id").count == 1)
            #expect(r.header("X-Request-Id") == forwarded)
            if c.echoed {
                #expect(forwarded == c.sent)
            } else {
                #expect(forwarded != c.sent)
                #expect(!forwarded.isEmpty && forwarded.utf8.count <= 64)
                #expect(forwarded.utf8.allSatisfy { KitWire.isTchar($0) })
            }
        }

        @Test func generatedRequestIDsDiffer() throws {
            let fx = try CoreFixture()
            defer { fx.stop() }
            let a = try TestClient.request(port: fx.port, path: "/one")
            let b = try TestClient.request(port: fx.port, path: "/two")
            #expect(a.status == 200 && b.status == 200)
            let ida = try #require(a.header("X-Request-Id"))
            #expect(ida != b.header("X-Request-Id"))
            #expect(fx.upstream.waitForRequests(count: 2, timeout: 5))
            #expect(fx.upstream.received.map { $0.header("X-Request-Id") } == [ida, b.header("X-Request-Id")])
        }
    }
}
