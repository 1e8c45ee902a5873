import Foundation
import Testing

/// Per-client and per-subject limits through the real gateway. Rates are one per minute so that no token
/// refills during a test: each bucket admits exactly its burst.
@Suite(.serialized) struct RateLimitIntegrationTests {
    static let trusted = #""rate_limit": {"trusted_proxies": ["127.0.0.1/32"]}"#
    static let limited = #"{"prefix": "/api/limited", "upstream": "backend", "auth": "public", "rate_limit": {"rate": "1/min", "burst": 3}}"#

    static func from(_ ip: String) -> [(String, String)] { [("X-Forwarded-For", ip)] }

    static func expectLimited(_ r: TestResponse, limit: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == 429, sourceLocation: sourceLocation)
        #expect(r.errorCode == "rate_limited", sourceLocation: sourceLocation)
        let retryAfter = Int(r.header("Retry-After") ?? "") ?? -1
        #expect(retryAfter >= 1 && retryAfter <= 60, "Retry-After \(retryAfter)", sourceLocation: sourceLocation)
        #expect(r.header("RateLimit-Limit") == String(limit), sourceLocation: sourceLocation)
        #expect(r.header("RateLimit-Remaining") == "0", sourceLocation: sourceLocation)
        let reset = Int(r.header("RateLimit-Reset") ?? "") ?? -1
        #expect(reset >= retryAfter, "RateLimit-Reset \(reset)", sourceLocation: sourceLocation)
    }

    @Test func trustedProxyClientsEachGetTheirOwnBucket() throws {
        try AuthFixtures.withGateway(routes: [Self.limited], extra: Self.trusted) { gw, upstream in
            for ip in ["203.0.113.7", "203.0.113.8"] {
                for i in 1...3 {
                    let r = try TestClient.request(port: gw.port, path: "/api/limited/\(i)", headers: Self.from(ip))
                    #expect(r.status == 200, "\(ip) request \(i)")
                    #expect(r.header("RateLimit-Limit") == nil)
                }
                Self.expectLimited(try TestClient.request(port: gw.port, path: "/api/limited/4", headers: Self.from(ip)), limit: 3)
                Self.expectLimited(try TestClient.request(port: gw.port, path: "/api/limited/5", headers: Self.from(ip)), limit: 3)
            }
            // A proxy chain: the right-most untrusted hop is the client, whatever the client wrote on the left.
            let chained = try TestClient.request(port: gw.port, path: "/api/limited/6", headers: Self.from("198.51.100.1, 203.0.113.7"))
            Self.expectLimited(chained, limit: 3)
            #expect(upstream.waitForRequests(count: 6, timeout: 5))
            let received = upstream.received
            #expect(received.count == 6)
            #expect(received.map(\.path) == ["/api/limited/1", "/api/limited/2", "/api/limited/3"] + ["/api/limited/1", "/api/limited/2", "/api/limited/3"])
        }
    }

    @Test func untrustedPeerForwardedForIsIgnored() throws {
        try AuthFixtures.withGateway(routes: [Self.limited]) { gw, upstream in
            let ips = ["203.0.113.7", "203.0.113.8", "203.0.113.9"]
            for (i, ip) in ips.enumerated() {
                let r = try TestClient.request(port: gw.port, path: "/api/limited/\(i)", headers: Self.from(ip))
                #expect(r.status == 200)
            }
            Self.expectLimited(try TestClient.request(port: gw.port, path: "/api/limited/x", headers: Self.from("203.0.113.10")), limit: 3)
            Self.expectLimited(try TestClient.request(port: gw.port, path: "/api/limited/y"), limit: 3)
            #expect(upstream.waitForRequests(count: 3, timeout: 5))
            #expect(upstream.received.count == 3)
        }
    }

    /// IPv6 clients are keyed by their /64 (ipv6_prefix default): one host cannot mint fresh addresses to
    /// escape its limit, while another network keeps its own bucket.
    @Test func ipv6ClientsShareTheirSlash64() throws {
        try AuthFixtures.withGateway(routes: [Self.limited], extra: Self.trusted) { gw, upstream in
            let sameNetwork = ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff:ffff:ffff:ffff"]
            for ip in sameNetwork {
                #expect(try TestClient.request(port: gw.port, path: "/api/limited", headers: Self.from(ip)).status == 200)
            }
            Self.expectLimited(try TestClient.request(port: gw.port, path: "/api/limited", headers: Self.from("2001:db8:1:2::abcd")), limit: 3)
            #expect(try TestClient.request(port: gw.port, path: "/api/limited", headers: Self.from("2001:db8:1:3::1")).status == 200)
            #expect(upstream.waitForRequests(count: 4, timeout: 5))
            #expect(upstream.received.count == 4)
        }
    }

    @Test func routeWithRateLimitFalseIsNeverLimited() throws {
        let strictDefault = #""rate_limit": {"default": {"rate": "1/min", "burst": 1}, "trusted_proxies": ["127.0.0.1/32"]}"#
        let routes = [
            #"{"prefix": "/api/free", "upstream": "backend", "auth": "public", "rate_limit": false}"#,
            #"{"prefix": "/api/default", "upstream": "backend", "auth": "public"}"#,
        ]
        try AuthFixtures.withGateway(routes: routes, extra: strictDefault) { gw, upstream in
            for i in 0..<10 {
                let r = try TestClient.request(port: gw.port, path: "/api/free/\(i)", headers: Self.from("203.0.113.7"))
                #expect(r.status == 200)
                #expect(r.header("RateLimit-Remaining") == nil)
            }
            // The default does apply to the route that inherits it.
            #expect(try TestClient.request(port: gw.port, path: "/api/default/1", headers: Self.from("203.0.113.7")).status == 200)
            Self.expectLimited(try TestClient.request(port: gw.port, path: "/api/default/2", headers: Self.from("203.0.113.7")), limit: 1)
            #expect(upstream.waitForRequests(count: 11, timeout: 5))
            #expect(upstream.received.count == 11)
        }
    }

    @Test func bySubjectLimitsOneUserAcrossAddresses() throws {
        let route = """
            {"prefix": "/api/user", "upstream": "backend", "auth": "authenticated",
             "rate_limit": {"rate": "100/s", "burst": 100, "by_subject": {"rate": "1/min", "burst": 2}}}
            """
        try AuthFixtures.withGateway(routes: [route], extra: Self.trusted) { gw, upstream in
            let alice = AuthFixtures.bearer(try AuthFixtures.hs256(sub: "alice"))
            let bob = AuthFixtures.bearer(try AuthFixtures.hs256(sub: "bob"))
            #expect(try TestClient.request(port: gw.port, path: "/api/user/1", headers: [alice] + Self.from("203.0.113.7")).status == 200)
            #expect(try TestClient.request(port: gw.port, path: "/api/user/2", headers: [alice] + Self.from("203.0.113.8")).status == 200)
            Self.expectLimited(try TestClient.request(port: gw.port, path: "/api/user/3", headers: [alice] + Self.from("203.0.113.9")), limit: 2)
            #expect(try TestClient.request(port: gw.port, path: "/api/user/4", headers: [bob] + Self.from("203.0.113.9")).status == 200)
            #expect(upstream.waitForRequests(count: 3, timeout: 5))
            let received = upstream.received
            #expect(received.count == 3)
            #expect(received.map { $0.header("X-Auth-Subject") ?? "-" } == ["alice", "alice", "bob"])
        }
    }

    /// A flood of bad tokens is charged to the client's address before any verification.
    @Test func addressLimitPrecedesTokenVerification() throws {
        let route = #"{"prefix": "/api/guarded", "upstream": "backend", "auth": "authenticated", "rate_limit": {"rate": "1/min", "burst": 2}}"#
        try AuthFixtures.withGateway(routes: [route], extra: Self.trusted) { gw, upstream in
            for _ in 0..<2 {
                let r = try TestClient.request(port: gw.port, path: "/api/guarded", headers: [AuthFixtures.bearer("not.a.token")] + Self.from("203.0.113.7"))
                #expect(r.status == 401)
            }
            let good = AuthFixtures.bearer(try AuthFixtures.hs256())
            Self.expectLimited(try TestClient.request(port: gw.port, path: "/api/guarded", headers: [good] + Self.from("203.0.113.7")), limit: 2)
            try AuthExpect.nothingForwarded(before: upstream, gatewayPort: gw.port)
        }
    }

    @Test(arguments: [
        #"{"prefix": "/api/limited", "upstream": "backend", "auth": "public", "rate_limit": {"rate": "1/min", "burst": 3, "headers": true}}"#,
        "global",
    ])
    func headersOptionReportsTheBucketOnAllowedResponses(routeJSON: String) throws {
        let global = routeJSON == "global"
        let route = global ? Self.limited : routeJSON
        let extra = global ? #""rate_limit": {"trusted_proxies": ["127.0.0.1/32"], "headers": true}"# : Self.trusted
        try AuthFixtures.withGateway(routes: [route], extra: extra) { gw, upstream in
            for remaining in [2, 1, 0] {
                let r = try TestClient.request(port: gw.port, path: "/api/limited", headers: Self.from("203.0.113.7"))
                #expect(r.status == 200)
                #expect(r.header("RateLimit-Limit") == "3")
                #expect(r.header("RateLimit-Remaining") == String(remaining))
                let reset = Int(r.header("RateLimit-Reset") ?? "") ?? -1
                #expect(reset >= 1 && reset <= 180, "RateLimit-Reset \(reset)")
                #expect(r.header("Retry-After") == nil)
            }
            Self.expectLimited(try TestClient.request(port: gw.port, path: "/api/limited", headers: Self.from("203.0.113.7")), limit: 3)
            // Unlimited routes carry no RateLimit-* headers even with the option on.
            let free = try TestClient.request(port: gw.port, path: "/public/free")
            #expect(free.status == 200)
            #expect(free.header("RateLimit-Limit") == nil)
            #expect(upstream.waitForRequests(count: 4, timeout: 5))
            #expect(upstream.received.count == 4)
        }
    }
}
