import Foundation
import Testing
@testable import Config

struct DecodeTests {
    private func decoded(_ json: String) throws -> GatewayConfig {
        switch Fixtures.decode(json) {
        case .success(let config): return config
        case .failure(let errors):
            Issue.record("unexpected problems:\n\(errors)")
            throw errors
        }
    }

    @Test func minimalConfigGetsDefaults() throws {
        let config = try decoded(Fixtures.minimal)
        #expect(config.listen.map(\.text) == ["127.0.0.1:8080"])
        #expect(config.workers == nil)
        #expect(config.realm == "gateway")
        #expect(config.limits == LimitsConfig())
        #expect(config.limits.maxBodyBytes == 10 << 20)
        #expect(config.limits.maxConnectionsPerWorker == nil)
        #expect(config.timeouts == TimeoutsConfig())
        #expect(config.timeouts.requestHead == .seconds(10))
        #expect(config.issuers.isEmpty)
        #expect(config.rateLimit == RateLimitConfig())
        #expect(config.rateLimit.defaultLimit == nil)
        #expect(config.log == LogConfig())
        #expect(config.baseDirectory == "/etc/gateway")

        let upstream = try #require(config.upstreams.first)
        #expect(config.upstreams.count == 1)
        #expect(upstream.name == "legacy")
        #expect(upstream.jsonPath == "upstreams.legacy")
        #expect(upstream.targets.map(\.text) == ["127.0.0.1:9000"])
        #expect(upstream.maxIdle == 256)
        #expect(upstream.connectTimeout == .seconds(3))
        #expect(upstream.responseTimeout == .seconds(30))
        #expect(upstream.ejectAfter == 3)
        #expect(upstream.ejectFor == .seconds(10))

        let route = try #require(config.routes.first)
        #expect(route.name == "* /")
        #expect(route.nameIsDerived)
        #expect(route.jsonPath == "routes[0]")
        #expect(route.match == .prefix("/"))
        #expect(route.methods.isEmpty)
        #expect(route.host == nil)
        #expect(route.auth.rule == .public)
        #expect(route.auth.methodRules.isEmpty)
        #expect(route.token == TokenSources())
        #expect(!route.forwardAuthorization)
        #expect(!route.allowEncodedSlash)
        #expect(route.rateLimit == .inherit)
        #expect(route.maxBodyBytes == 10 << 20)
    }

    @Test func fullConfigTopLevel() throws {
        let config = try decoded(Fixtures.full)
        #expect(config.listen.map(\.host) == ["0.0.0.0", "::1"])
        #expect(config.listen.map(\.port) == [8080, 8081])
        #expect(config.workers == 4)
        #expect(config.realm == "example")
        var limits = LimitsConfig()
        limits.maxTargetBytes = 4096
        limits.maxHeadBytes = 32 << 10
        limits.maxHeaders = 64
        limits.maxBodyBytes = 1 << 20
        limits.maxTokenBytes = 4096
        limits.maxConnections = 1000
        limits.maxConnectionsPerWorker = 500
        limits.maxConnectionsPerIP = 50
        limits.maxRequestsPerConnection = 100
        limits.drainBodyBytes = 16 << 10
        #expect(config.limits == limits)
        var timeouts = TimeoutsConfig()
        timeouts.requestHead = .seconds(5)
        timeouts.bodyIdle = .seconds(15)
        timeouts.keepAlive = .seconds(60)
        timeouts.upstreamConnect = .milliseconds(500)
        timeouts.upstreamResponse = .seconds(90)
        timeouts.drain = .seconds(20)
        #expect(config.timeouts == timeouts)
        #expect(config.log.access == .file(ConfigFilePath(original: "logs/access.log", resolved: "/etc/gateway/logs/access.log")))
        #expect(config.log.level == .notice)
    }

    @Test func fullConfigUpstreamsSortedWithOverridesAndInheritedTimeouts() throws {
        let config = try decoded(Fixtures.full)
        #expect(config.upstreams.map(\.name) == ["billing", "legacy"])
        let billing = config.upstreams[0]
        #expect(billing.targets.map(\.text) == ["[::1]:9100"])
        #expect(billing.maxIdle == 8)
        #expect(billing.idleTimeout == .seconds(30))
        #expect(billing.connectTimeout == .seconds(1))
        #expect(billing.responseTimeout == .seconds(90))
        #expect(billing.ejectAfter == 5)
        #expect(billing.ejectFor == .seconds(60))
        let legacy = config.upstreams[1]
        #expect(legacy.targets.map(\.text) == ["127.0.0.1:9000", "127.0.0.1:9001"])
        #expect(legacy.connectTimeout == .milliseconds(500))
    }

    @Test func fullConfigIssuers() throws {
        let config = try decoded(Fixtures.full)
        #expect(config.issuers.map(\.name) == ["internal", "partner"])
        let own = config.issuers[0]
        #expect(own.jsonPath == "issuers.internal")
        #expect(own.iss == "https://auth.example.com")
        #expect(own.audiences == ["gateway", "legacy"])
        #expect(own.leeway == .seconds(10))
        #expect(own.requireExp)
        #expect(own.maxAge == .seconds(86_400))
        #expect(own.typ == "JWT")
        #expect(own.rolesClaim.segments == ["realm_access", "roles"])
        #expect(own.scopesClaim.text == "scp")
        #expect(own.identityHeaders.map(\.name) == ["X-User", "X-Tenant"])
        #expect(own.identityHeaders.map(\.claim.segments) == [["sub"], ["tenant", "id"]])
        #expect(own.keys.map(\.kid) == ["k1", "k2"])
        #expect(own.keys.map(\.jsonPath) == ["issuers.internal.keys[0]", "issuers.internal.keys[1]"])
        #expect(own.keys[0].material == .secret(algorithm: .hs256, environmentVariable: "GATEWAY_HS_KEY"))
        #expect(
            own.keys[1].material
                == .publicKey(
                    algorithm: .rs256,
                    publicKey: ConfigFilePath(original: "keys/rs.pub.pem", resolved: "/etc/gateway/keys/rs.pub.pem"),
                    privateKey: ConfigFilePath(original: "/etc/gw/rs.pem", resolved: "/etc/gw/rs.pem")))

        let partner = config.issuers[1]
        #expect(partner.audiences.isEmpty)
        #expect(partner.leeway == .seconds(30))
        #expect(partner.maxAge == nil)
        #expect(partner.typ == nil)
        #expect(partner.rolesClaim.text == "roles")
        #expect(partner.scopesClaim.text == "scope")
        #expect(partner.identityHeaders.map(\.name) == ["X-Auth-Subject", "X-Auth-Roles", "X-Auth-Issuer"])
        #expect(partner.identityHeaders.map(\.claim.text) == ["sub", "roles", "iss"])
        #expect(
            partner.keys.map(\.material) == [
                .jwksFile(
                    ConfigFilePath(original: "partner/jwks.json", resolved: "/etc/gateway/partner/jwks.json"),
                    algorithms: [.es256, .edDSA])
            ])
    }

    @Test func defaultIdentityHeadersFollowRolesClaim() throws {
        let config = try decoded(
            Fixtures.issuer(#"{ "iss": "x", "roles_claim": "groups", "keys": [ { "alg": "HS512", "secret_env": "K" } ] }"#))
        #expect(config.issuers[0].identityHeaders.map(\.claim.text) == ["sub", "groups", "iss"])
    }

    @Test func fullConfigRateLimit() throws {
        let config = try decoded(Fixtures.full)
        let rateLimit = config.rateLimit
        #expect(rateLimit.defaultLimit?.rate == RateSpec(perSecond: 100, text: "100/s"))
        #expect(rateLimit.defaultLimit?.burst == 200)
        #expect(rateLimit.trustedProxies.map(\.prefixLength) == [8, 128])
        #expect(rateLimit.trustedProxies.first?.address == [10, 0, 0, 0])
        #expect(rateLimit.trustedProxies.last?.address == [UInt8](repeating: 0, count: 15) + [1])
        #expect(rateLimit.ipv6Prefix == 56)
        #expect(rateLimit.maxKeys == 5000)
        #expect(rateLimit.headers)
    }

    @Test func fullConfigRoutes() throws {
        let config = try decoded(Fixtures.full)
        #expect(config.routes.map(\.name) == ["health", "GET,POST,DELETE api.example.com/api/", "billing", "* /admin/"])
        #expect(config.routes.map(\.nameIsDerived) == [false, true, false, true])
        #expect(config.routes.map(\.upstream) == ["legacy", "legacy", "billing", "legacy"])

        let health = config.routes[0]
        #expect(health.match == .exact("/health"))
        #expect(health.methods == ["GET"])
        #expect(health.rateLimit == .disabled)

        let api = config.routes[1]
        #expect(api.match == .prefix("/api/"))
        #expect(api.host == "api.example.com")
        #expect(api.token.cookie == "session")
        #expect(api.token.query == "access_token")
        #expect(api.forwardAuthorization)
        #expect(api.maxBodyBytes == 2 << 20)
        var read = TokenRequirement()
        read.issuers = ["internal"]
        read.roles = ClaimRequirement(match: .any, values: ["reader", "writer"])
        #expect(api.auth.rule == .token(read))
        var write = TokenRequirement()
        write.issuers = ["internal"]
        write.roles = ClaimRequirement(match: .all, values: ["writer", "auditor"])
        #expect(api.auth.methodRules.map(\.methods) == [["POST", "DELETE"]])
        #expect(api.auth.methodRules.map(\.jsonPath) == [#"routes[1].auth.methods["POST,DELETE"]"#])
        #expect(api.auth.rule(for: "GET") == .token(read))
        #expect(api.auth.rule(for: "DELETE") == .token(write))
        guard case .custom(let limit) = api.rateLimit else {
            Issue.record("expected a custom limit")
            return
        }
        #expect(limit.perClient.rate.perSecond == 100)
        #expect(limit.perClient.burst == 50)
        #expect(limit.bySubject?.rate.text == "10/s")
        #expect(limit.bySubject?.burst == 10)
        #expect(limit.headers == false)

        let billing = config.routes[2]
        #expect(billing.allowEncodedSlash)
        #expect(billing.match == .prefix("/billing/%2Fraw/"))
        var scoped = TokenRequirement()
        scoped.scopes = ClaimRequirement(match: .all, values: ["billing:read"])
        #expect(billing.auth.rule == .token(scoped))
        #expect(billing.maxBodyBytes == 1 << 20)
        #expect(billing.rateLimit == .inherit)

        var admin = TokenRequirement()
        admin.roles = ClaimRequirement(match: .any, values: ["admin"])
        #expect(config.routes[3].auth.rule == .token(admin))
    }

    @Test func perMethodRulesCanOpenSomeMethods() throws {
        let config = try decoded(
            Fixtures.route(
                #"{ "prefix": "/docs/", "upstream": "legacy", "auth": { "issuers": ["main"], "methods": { "GET, HEAD": "public", "PUT": { "issuers": ["main"], "scopes": { "any": ["docs:write"] } } } } }"#
            ))
        let auth = config.routes[0].auth
        var base = TokenRequirement()
        base.issuers = ["main"]
        #expect(auth.rule(for: "GET") == .public)
        #expect(auth.rule(for: "HEAD") == .public)
        #expect(auth.rule(for: "DELETE") == .token(base))
        #expect(auth.allRules.count == 3)
        #expect(auth.allRules.filter(\.requiresToken).count == 2)
    }

    @Test(arguments: [
        (#""workers": "auto""#, nil as Int?), (#""workers": 1"#, 1), (#""workers": 256"#, 256),
    ])
    func workers(member: String, expected: Int?) throws {
        #expect(try decoded(Fixtures.top(member)).workers == expected)
    }

    @Test(arguments: [
        (#""log": { "access": "off" }"#, AccessLog.off), (#""log": { "access": "stdout" }"#, .stdout),
        (#""log": { "access": "stderr" }"#, .stderr),
        (#""log": { "access": "/var/log/gw.log" }"#, .file(ConfigFilePath(original: "/var/log/gw.log", resolved: "/var/log/gw.log"))),
        (#""log": { "access": "../logs/./a.log" }"#, .file(ConfigFilePath(original: "../logs/./a.log", resolved: "/etc/logs/a.log"))),
    ])
    func accessLog(member: String, expected: AccessLog) throws {
        #expect(try decoded(Fixtures.top(member)).log.access == expected)
    }

    @Test func routeBurstDefaultsToOneSecondOfTokens() throws {
        let config = try decoded(Fixtures.top(#""rate_limit": { "default": { "rate": "6000/m" } }"#))
        #expect(config.rateLimit.defaultLimit?.burst == 100)
        let slow = try decoded(Fixtures.top(#""rate_limit": { "default": { "rate": "10/h" } }"#))
        #expect(slow.rateLimit.defaultLimit?.burst == 1)
    }

    @Test func loadResolvesPathsAgainstTheConfigDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("config-load-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("gateway.json")
        try Data(Fixtures.full.utf8).write(to: file)

        let config = try ConfigLoader.load(path: file.path).get()
        #expect(config.baseDirectory == directory.standardizedFileURL.path)
        #expect(config.log.access == .file(ConfigFilePath(original: "logs/access.log", resolved: directory.standardizedFileURL.path + "/logs/access.log")))
    }

    @Test func loadReportsAnUnreadableFile() {
        guard case .failure(let errors) = ConfigLoader.load(path: "/nonexistent/gateway.json") else {
            Issue.record("loaded a missing file")
            return
        }
        #expect(errors.problems.count == 1)
        #expect(errors.problems.first?.path == "$")
        #expect(errors.problems.first?.message.hasPrefix("cannot read /nonexistent/gateway.json") == true)
    }

    @Test func schemaMemberIsIgnored() throws {
        #expect(try decoded(Fixtures.top(#""$schema": "https://example.com/s.json""#)).realm == "gateway")
    }
}
