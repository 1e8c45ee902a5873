import Foundation
import Store
import Testing

/// A gateway with the built-in issuer over a fresh SQLite store in a temporary directory, in front of a
/// test upstream. Users are seeded through the Store module, as `gateway user add` does.
final class IssuerFixture {
    static let iss = "https://gateway.test"
    static let kylePassword = "kyle-password-1234"
    static let adminPassword = "admin-password-5678"
    /// The cheapest cost the config accepts: the tests exercise the flow, not the hash's strength.
    static let scrypt = ScryptParameters(logN: 14, r: 8, p: 1)

    let directory: String
    let upstream: TestUpstream
    private(set) var gateway: GatewayHarness?
    let issuerJSON: String
    let routes: [String]

    var port: UInt16 { gateway?.port ?? 0 }
    var databasePath: String { directory + "/gateway.db" }

    /// `issuer` is extra members of the issuer object (JSON text); `routes` replaces the default routes.
    init(issuer: String = "", routes: [String]? = nil, seed: Bool = true) throws {
        directory = NSTemporaryDirectory() + "issuer-\(UInt64.random(in: .min ... .max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if seed {
            let db = try Database(path: directory + "/gateway.db")
            let users = UserStore(database: db, hasher: try PasswordHasher(parameters: Self.scrypt))
            try users.add(username: "kyle", password: Self.kylePassword, roles: ["reader"], now: AuthFixtures.now)
            try users.add(username: "admin", password: Self.adminPassword, roles: ["reader", "admin"], now: AuthFixtures.now)
        }
        issuerJSON = issuer
        self.routes = routes ?? [
            #"{"name": "secure", "path": "/api/secure", "upstream": "backend", "auth": "authenticated"}"#,
            #"{"name": "admin", "prefix": "/api/admin", "upstream": "backend", "auth": {"any": ["admin"]}}"#,
        ]
        upstream = TestUpstream()
        try upstream.start()
        try startGateway()
    }

    func startGateway() throws {
        let extra = """
            "store": { "path": "\(databasePath)", "poll_interval": "100ms" },
            "issuer": {
              "iss": "\(Self.iss)", "audiences": ["legacy-api"],
              "key": { "kid": "gw-ec", "alg": "ES256", "private_key": "ec256-private.pem" },
              "password_hash": { "ln": 14 }\(issuerJSON.isEmpty ? "" : ",\n" + issuerJSON)
            }
            """
        gateway = try AuthFixtures.gateway(routes: routes, upstream: upstream, extra: extra)
    }

    func stopGateway() {
        gateway?.stop()
        gateway = nil
    }

    func stop() {
        stopGateway()
        upstream.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `body` with a fresh fixture, stopping everything afterwards.
    static func with(issuer: String = "", routes: [String]? = nil, _ body: (IssuerFixture) throws -> Void) throws {
        let f = try IssuerFixture(issuer: issuer, routes: routes)
        defer { f.stop() }
        try body(f)
    }

    // MARK: requests

    func post(_ path: String, json: String, headers: [(String, String)] = []) throws -> TestResponse {
        try TestClient.request(
            port: port, method: "POST", path: path, headers: [("Content-Type", "application/json")] + headers, body: Array(json.utf8))
    }

    func login(_ username: String, _ password: String) throws -> TestResponse {
        try post("/auth/login", json: #"{"username":"\#(username)","password":"\#(password)"}"#)
    }

    /// Logs in and returns the access and refresh tokens, expecting success.
    func tokens(_ username: String = "kyle", _ password: String = kylePassword, sourceLocation: SourceLocation = #_sourceLocation) throws -> (access: String, refresh: String) {
        let r = try login(username, password)
        #expect(r.status == 200, "login: \(r.bodyText)", sourceLocation: sourceLocation)
        let access = r.json?["access_token"] as? String ?? ""
        let refresh = r.json?["refresh_token"] as? String ?? ""
        #expect(!access.isEmpty && !refresh.isEmpty, sourceLocation: sourceLocation)
        return (access, refresh)
    }

    func get(_ path: String, token: String? = nil, headers: [(String, String)] = []) throws -> TestResponse {
        try TestClient.request(port: port, path: path, headers: (token.map { [AuthFixtures.bearer($0)] } ?? []) + headers)
    }

    func logout(_ access: String, refresh: String? = nil) throws -> TestResponse {
        try post("/auth/logout", json: refresh.map { #"{"refresh_token":"\#($0)"}"# } ?? "", headers: [AuthFixtures.bearer(access)])
    }

    func refresh(_ token: String) throws -> TestResponse {
        try post("/auth/refresh", json: #"{"refresh_token":"\#(token)"}"#)
    }
}
