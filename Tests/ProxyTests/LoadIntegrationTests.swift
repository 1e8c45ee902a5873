import Config
import EventLoop
import Glibc
import LegacyAPI
import LoadTest
import Proxy
import Testing

/// The load engine, called as the CLI calls it, for two seconds against an in-process gateway in front of the
/// example legacy API, with every token class mixed in: the report's counts must add up and every class must get
/// its expected answer.
@Suite struct LoadIntegrationTests {
    static let secretEnv = "LOAD_TEST_SECRET"
    static let secret = "load-test-secret-that-is-long-enough-for-HS256"

    static let config = """
        {
          "listen": "127.0.0.1:0",
          "workers": 1,
          "upstreams": { "backend": ["{{UPSTREAM}}"] },
          "log": { "access": "off" },
          "issuers": {
            "test": {
              "iss": "https://issuer.test",
              "audiences": ["legacy-api"],
              "keys": [ { "kid": "hs", "alg": "HS256", "secret_env": "\(secretEnv)" } ]
            }
          },
          "routes": [
            { "name": "admin", "prefix": "/api/admin", "upstream": "backend", "auth": { "any": ["admin"] } },
            { "name": "secure", "path": "/api/secure", "upstream": "backend", "auth": "authenticated" }
          ]
        }
        """

    @Test func mixedTokensForTwoSecondsMatchTheirClasses() throws {
        let address = try #require(SocketAddress(host: "127.0.0.1", port: 0))
        let upstream = LegacyAPIServer(listen: address, threads: 1)
        let upstreamPort = try upstream.start()
        defer { upstream.stop() }
        let environment = [Self.secretEnv: Self.secret]
        let gateway = try GatewayHarness(config: Self.config, upstreamPort: upstreamPort, environment: environment)
        defer { gateway.stop() }

        let text = Self.config.replacingPlaceholder(with: "127.0.0.1:\(upstreamPort)")
        guard case .success(let cfg) = ConfigLoader.decode(Array(text.utf8), baseDirectory: nil) else {
            Issue.record("config does not decode")
            return
        }
        let minter = try TokenMinter(config: cfg, issuerName: "test", environment: { environment[$0] })
        let mix = try TokenMix(parsing: "valid:6,expired:1,bad-signature:1,wrong-role:1,missing:1")
        let pool = try TokenPool.mint(
            for: mix, settings: TokenSettings(subject: "loader", roles: ["admin"], wrongRoles: ["reader"], distinctValid: 3),
            now: Int64(time(nil))
        ) { (claims) throws(LoadError) in
            do throws(TokenMinter.MintError) {
                return try minter.mint(
                    subject: claims.subject, roles: claims.roles, ttlSeconds: claims.expiresAt - claims.issuedAt,
                    now: claims.issuedAt)
            } catch {
                throw LoadError(error.description)
            }
        }
        let target = try LoadTarget(url: "http://127.0.0.1:\(gateway.port)/api/admin/report")
        let catalog = try RequestCatalog(
            target: target, paths: ["/api/admin/report", "/api/admin/report?x=1"], mix: mix, tokens: pool)
        let plan = try LoadPlan(target: target, catalog: catalog, connections: 8, threads: 2, duration: .seconds(2))

        var progressLines = 0
        let report = try LoadRunner.run(plan) { _ in progressLines += 1 }

        #expect(progressLines >= 1)
        #expect(report.counts.completed > 100)
        #expect(report.counts.errors == 0)
        #expect(report.statuses.reduce(0) { $0 + $1.count } == report.counts.completed)
        #expect(report.classes.map(\.tokenClass) == [.valid, .expired, .badSignature, .wrongRole, .missing])
        #expect(report.classes.reduce(0) { $0 + $1.completed } == report.counts.completed)
        for c in report.classes {
            #expect(c.completed > 0, "\(c.tokenClass.name)")
            #expect(c.mismatches == 0, "\(c.tokenClass.name): \(c.statuses)")
            #expect(c.statuses.reduce(0) { $0 + $1.count } == c.completed)
        }
        // The interleaved mix holds across the run: valid is 6 of every 10 requests.
        let valid = Double(report.classes[0].completed) / Double(report.counts.completed)
        #expect(abs(valid - 0.6) < 0.02)
        #expect(report.mismatches == 0)
        #expect(report.passed)
        #expect(report.counts.latency.totalCount == report.counts.completed)
        #expect(report.counts.bytesRead > 0 && report.counts.bytesWritten > 0)
    }
}

extension LoadIntegrationTests {
    /// Open loop sends on the schedule, not as fast as possible: a one-second run at 400/s completes about 400.
    @Test func openLoopKeepsTheRate() throws {
        let address = try #require(SocketAddress(host: "127.0.0.1", port: 0))
        let upstream = LegacyAPIServer(listen: address, threads: 1)
        let port = try upstream.start()
        defer { upstream.stop() }
        let target = try LoadTarget(url: "http://127.0.0.1:\(port)/api/unsecure")
        let plan = try LoadPlan(
            target: target, catalog: try RequestCatalog(target: target), connections: 4, threads: 2, duration: .seconds(1),
            rate: 400)
        let report = try LoadRunner.run(plan)
        #expect(report.counts.completed >= 380 && report.counts.completed <= 400, "\(report.counts.completed)")
        #expect(report.counts.unsent == 0)
        #expect(report.counts.errors == 0)
        #expect(report.statuses.map(\.status) == [200])
        #expect(report.classes.map(\.tokenClass) == [.unchecked])
    }
}

extension String {
    fileprivate func replacingPlaceholder(with address: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: "{{UPSTREAM}}") {
            out += rest[..<r.lowerBound] + address
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
