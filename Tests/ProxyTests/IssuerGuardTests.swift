import Foundation
import Testing

/// What the issuer's endpoints refuse: bad credentials, malformed or cross-site bodies, wrong methods, too
/// many attempts. None of it ever reaches the upstream.
@Suite("Issuer: refusals, throttling, registration", .serialized)
struct IssuerGuardTests {
    @Test("wrong password, unknown user and a bad body are refused with the error contract")
    func refusals() throws {
        try IssuerFixture.with { f in
            AuthExpect.unauthorized(try f.login("kyle", "not-the-password-at-all"), code: "invalid_credentials")
            AuthExpect.unauthorized(try f.login("nobody", IssuerFixture.kylePassword), code: "invalid_credentials")
            let cases: [(String, [(String, String)], String, Int, String)] = [
                ("POST", [("Content-Type", "application/json")], "{\"username\":\"kyle\"}", 400, "invalid_request"),
                ("POST", [("Content-Type", "application/json")], "not json", 400, "invalid_request"),
                ("POST", [("Content-Type", "application/json")], "", 400, "invalid_request"),
                ("POST", [("Content-Type", "text/plain")], #"{"username":"kyle","password":"x"}"#, 415, "unsupported_media_type"),
                ("POST", [("Content-Type", "application/x-www-form-urlencoded")], "username=kyle&password=x", 415, "unsupported_media_type"),
                ("POST", [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")], "0\r\n\r\n", 411, "length_required"),
                ("GET", [], "", 405, "method_not_allowed"),
            ]
            for (method, headers, body, status, code) in cases {
                let r = try TestClient.request(port: f.port, method: method, path: "/auth/login", headers: headers, body: Array(body.utf8))
                #expect(r.status == status, "\(method) \(headers) \(body): \(r.bodyText)")
                #expect(r.errorCode == code)
                #expect(r.header("X-Request-Id") != nil)
            }
            let big = String(repeating: "a", count: 20_000)
            let r = try f.post("/auth/login", json: #"{"username":"\#(big)","password":"x"}"#)
            #expect(r.status == 413)
            try AuthExpect.nothingForwarded(before: f.upstream, gatewayPort: f.port)
        }
    }

    @Test("login attempts are limited per address: 429 with Retry-After")
    func throttlePerAddress() throws {
        let limits = #""login_limit": { "per_ip": { "rate": "1/m", "burst": 2 }, "per_username": { "rate": "100/s", "burst": 100 } }"#
        try IssuerFixture.with(issuer: limits) { f in
            AuthExpect.unauthorized(try f.login("kyle", "wrong-password-000"), code: "invalid_credentials")
            AuthExpect.unauthorized(try f.login("admin", "wrong-password-000"), code: "invalid_credentials")
            let limited = try f.login("kyle", IssuerFixture.kylePassword)
            #expect(limited.status == 429)
            #expect(limited.errorCode == "rate_limited")
            #expect(Int(limited.header("Retry-After") ?? "") ?? 0 >= 1)
            try AuthExpect.nothingForwarded(before: f.upstream, gatewayPort: f.port)
        }
    }

    @Test("login attempts are limited per username, whatever the address")
    func throttlePerUsername() throws {
        let limits = #""login_limit": { "per_ip": { "rate": "100/s", "burst": 100 }, "per_username": { "rate": "1/m", "burst": 2 } }"#
        try IssuerFixture.with(issuer: limits) { f in
            for _ in 0..<2 {
                AuthExpect.unauthorized(try f.login("kyle", "wrong-password-000"), code: "invalid_credentials")
            }
            #expect(try f.login("kyle", IssuerFixture.kylePassword).status == 429)
            // Another account is not held back by kyle's attempts.
            #expect(try f.login("admin", IssuerFixture.adminPassword).status == 200)
        }
    }

    @Test("an unknown user and a wrong password take the same time (one password hash each)")
    func sameTimingClass() throws {
        let limits = #""login_limit": { "per_ip": { "rate": "1000/s", "burst": 1000 }, "per_username": { "rate": "1000/s", "burst": 1000 } }"#
        try IssuerFixture.with(issuer: limits) { f in
            var unknown: [Double] = []
            var wrong: [Double] = []
            for i in 0..<8 {
                for pass in 0..<2 {
                    let isUnknown = (pass + i) % 2 == 0
                    let start = monotonicSeconds()
                    let r = try f.login(isUnknown ? "nobody-\(i)" : "kyle", "some-password-123")
                    let elapsed = monotonicSeconds() - start
                    #expect(r.errorCode == "invalid_credentials")
                    if isUnknown { unknown.append(elapsed) } else { wrong.append(elapsed) }
                }
            }
            let medianUnknown = unknown.sorted()[unknown.count / 2]
            let medianWrong = wrong.sorted()[wrong.count / 2]
            // Without the dummy hash an unknown user answers in well under a millisecond, a wrong password in
            // tens of milliseconds: a ratio near 100. The bound is loose against a noisy machine.
            let ratio = medianUnknown / medianWrong
            #expect(ratio > 0.4 && ratio < 2.5, "unknown \(medianUnknown)s, wrong \(medianWrong)s")
        }
    }

    @Test("registration is off unless enabled; when on it creates users with the default roles")
    func registration() throws {
        try IssuerFixture.with { f in
            let r = try f.post("/auth/register", json: #"{"username":"newbie","password":"long-enough-password"}"#)
            #expect(r.status == 404)
            #expect(r.errorCode == "not_found")
        }
        try IssuerFixture.with(issuer: #""register": { "enabled": true, "roles": ["reader"] }"#) { f in
            let created = try f.post("/auth/register", json: #"{"username":"newbie","password":"long-enough-password"}"#)
            #expect(created.status == 201, "\(created.bodyText)")
            #expect(created.json?["roles"] as? [String] == ["reader"])
            #expect(try f.post("/auth/register", json: #"{"username":"newbie","password":"long-enough-password"}"#).errorCode == "username_taken")
            #expect(try f.post("/auth/register", json: #"{"username":"other","password":"short"}"#).errorCode == "weak_password")
            let (access, _) = try f.tokens("newbie", "long-enough-password")
            #expect(try f.get("/api/secure", token: access).status == 200)
            #expect(try f.get("/api/admin/x", token: access).status == 403)
        }
    }
}
