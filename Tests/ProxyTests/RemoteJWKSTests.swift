import Config
import EventLoop
import Foundation
import JSON
import JWT
import KeyFetch
import Proxy
import Testing

/// A gateway whose issuer's keys come from a JWKS provider (a second test upstream) through a running
/// `KeyFetcher`: the issuer's routes answer 503 keys_unavailable until the keys arrive, other routes work.
@Suite struct RemoteJWKSTests {
    static let route = #"{"prefix": "/api/remote", "upstream": "backend", "auth": "authenticated"}"#

    @Test func startsWhileTheProviderIsDownAndServesOnceKeysArrive() throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let provider = TestUpstream()
        try provider.start()
        defer { provider.stop() }
        provider.handle("/jwks", .respond(status: 503, headers: [], body: Array("down".utf8), framing: .contentLength))

        let issuer = "http://127.0.0.1:\(provider.port)"
        let keySet = KeySet()
        let fetcher = try KeyFetcher(
            sources: [
                RemoteKeySource(
                    name: "remote", issuer: issuer, location: .jwksURI(issuer + "/jwks"),
                    settings: JWKSSettings(minRefresh: .milliseconds(1), cooldown: .milliseconds(50), timeout: .seconds(2)),
                    keySet: keySet)
            ], log: { _, _ in })
        let gateway = Gateway(snapshot: try Self.snapshot(issuer: issuer, keySet: keySet, upstreamPort: upstream.port))
        try gateway.start()
        defer {
            gateway.shutdown()
            gateway.wait()
        }
        let port = try #require(gateway.boundAddresses.first?.port)
        try fetcher.start()
        defer { fetcher.stop() }

        let key = try KeyGenerator.signingKey(.ES256, kid: "k1")
        let token = try AuthFixtures.token(
            header: #"{"alg":"ES256","typ":"JWT","kid":"k1"}"#, payload: AuthFixtures.payload(iss: issuer, aud: nil), key: key)
        let refused = try TestClient.request(port: port, path: "/api/remote/x", headers: [AuthFixtures.bearer(token)])
        #expect(refused.status == 503)
        #expect(refused.errorCode == "keys_unavailable")
        #expect(refused.header("Retry-After") == "5")
        #expect(refused.header("WWW-Authenticate") == nil)
        #expect(try TestClient.request(port: port, path: "/public/marker").status == 200)

        var jwks: [UInt8] = []
        let jwk = try #require(try key.publicJWK())
        JSONWriter.serialize(.object(JSONObject(members: [("keys", .array([.object(jwk)]))])), to: &jwks)
        provider.handle("/jwks", .respond(status: 200, headers: [("Cache-Control", "max-age=300")], body: jwks, framing: .chunked(chunkSize: 64)))

        let deadline = Date(timeIntervalSinceNow: 5)
        var status = 0
        while Date() < deadline {
            status = try TestClient.request(port: port, path: "/api/remote/x", headers: [AuthFixtures.bearer(token)]).status
            if status == 200 { break }
            usleep(5000)
        }
        #expect(status == 200)
        #expect(upstream.received.contains { $0.path == "/api/remote/x" && $0.header("X-Auth-Issuer") == issuer })
    }

    /// The fixture gateway (one worker) with the issuer "main" replaced by a remote one whose keys are `keySet`.
    static func snapshot(issuer: String, keySet: KeySet, upstreamPort: UInt16) throws -> Snapshot {
        let config = GatewayHarness.config(
            routes: "[" + [route, AuthFixtures.markerRoute].joined(separator: ",") + "]", extra: AuthFixtures.issuersJSON)
        let text = config.replacingOccurrences(of: "{{UPSTREAM}}", with: "127.0.0.1:\(upstreamPort)")
        let decoded = ConfigLoader.decode(Array(text.utf8), baseDirectory: AuthFixtures.joseDirectory())
        guard case .success(let cfg) = decoded else { throw GatewayHarness.StartError(description: "config: \(decoded)") }
        let built = SnapshotBuilder.build(cfg, environment: { AuthFixtures.environment[$0] })
        guard case .success(let s) = built else { throw GatewayHarness.StartError(description: "snapshot: \(built)") }
        let profiles = s.issuers.profiles.map { p -> IssuerProfile in
            guard p.name == "main" else { return p }
            var remote = p
            remote.issuer = issuer
            remote.audiences = []
            remote.keys = []
            remote.keySet = keySet
            return remote
        }
        return Snapshot(
            listen: s.listen, workers: s.workers, realm: s.realm, limits: s.limits, timeouts: s.timeouts,
            upstreams: s.upstreams, routes: s.routes, issuers: IssuerSet(profiles), rateLimit: s.rateLimit, log: s.log,
            issuer: s.issuer, store: s.store, reloadState: s.reloadState)
    }
}

/// The same through gateway.json: a `jwks_uri` key is fetched by the gateway's own fetcher, and a reload that
/// keeps the issuer keeps its fetched keys (no keys_unavailable gap).
@Suite(.serialized) struct ConfiguredRemoteJWKSTests {
    @Test func aConfiguredJWKSURIIsFetchedAndItsKeysSurviveAReload() throws {
        let provider = TestUpstream()
        try provider.start()
        defer { provider.stop() }
        provider.handle("/jwks", .respond(status: 503, headers: [], body: Array("down".utf8), framing: .contentLength))
        let iss = "http://127.0.0.1:\(provider.port)"
        let json = ReloadTests.config(
            routes: #"[{"name": "remote", "prefix": "/api/remote", "upstream": "backend", "auth": "authenticated"}]"#,
            extra: #""issuers": {"remote": {"iss": "\#(iss)", "keys": [{"jwks_uri": "\#(iss)/jwks", "algs": ["ES256"]}], "jwks": {"min_refresh": "1s", "cooldown": "1s", "timeout": "2s"}}}"#)
        let f = try ReloadFixture(json)
        defer { f.stop() }

        let key = try KeyGenerator.signingKey(.ES256, kid: "k1")
        let token = try AuthFixtures.token(
            header: #"{"alg":"ES256","typ":"JWT","kid":"k1"}"#, payload: AuthFixtures.payload(iss: iss, aud: nil), key: key)
        let refused = try TestClient.request(port: f.port, path: "/api/remote/x", headers: [AuthFixtures.bearer(token)])
        #expect(refused.status == 503)
        #expect(refused.errorCode == "keys_unavailable")

        var jwks: [UInt8] = []
        let jwk = try #require(try key.publicJWK())
        JSONWriter.serialize(.object(JSONObject(members: [("keys", .array([.object(jwk)]))])), to: &jwks)
        provider.handle("/jwks", .respond(status: 200, headers: [("Cache-Control", "max-age=300")], body: jwks, framing: .contentLength))
        #expect(waitUntil(timeout: 10) {
            (try? TestClient.request(port: f.port, path: "/api/remote/x", headers: [AuthFixtures.bearer(token)]).status) == 200
        })

        let report = try f.reload(json)
        #expect(report.ok, "\(report.message)")
        #expect(try TestClient.request(port: f.port, path: "/api/remote/x", headers: [AuthFixtures.bearer(token)]).status == 200)
    }
}
