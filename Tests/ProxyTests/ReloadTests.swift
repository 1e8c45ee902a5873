import Config
import Foundation
import JWT
import Proxy
import Synchronization
import Testing

/// A gateway started from a config file on disk, reloaded in place as SIGHUP would.
final class ReloadFixture {
    let directory: URL
    let upstream: TestUpstream
    let gateway: Gateway
    let reloader: ConfigReloader
    var configURL: URL { directory.appendingPathComponent("gateway.json") }

    init(_ json: String, environment: @escaping @Sendable (String) -> String? = { _ in nil }) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-reload-\(UInt64.random(in: .min ... .max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        upstream = TestUpstream()
        try upstream.start()
        let url = directory.appendingPathComponent("gateway.json")
        try Self.write(json, port: upstream.port, to: url)
        guard case .success(let config) = ConfigLoader.load(path: url.path),
            case .success(let snapshot) = SnapshotBuilder.build(config, environment: environment)
        else { throw GatewayHarness.StartError(description: "the initial config does not load") }
        gateway = Gateway(snapshot: snapshot)
        try gateway.start()
        reloader = ConfigReloader(path: url.path, gateway: gateway, environment: environment)
    }

    static func write(_ json: String, port: UInt16, to url: URL) throws {
        try json.replacingOccurrences(of: "{{UPSTREAM}}", with: "127.0.0.1:\(port)").write(to: url, atomically: true, encoding: .utf8)
    }

    /// Replaces the config file and reloads.
    func reload(_ json: String) throws -> ConfigReloader.Report {
        try Self.write(json, port: upstream.port, to: configURL)
        return reloader.reload()
    }

    var port: UInt16 { gateway.boundAddresses.first?.port ?? 0 }

    func stop() {
        gateway.shutdown()
        gateway.wait()
        upstream.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

@Suite("Hot reload", .serialized)
struct ReloadTests {
    static func config(routes: String, listen: String = #""127.0.0.1:0""#, extra: String = "") -> String {
        """
        {
          "listen": \(listen),
          "workers": 2,
          "upstreams": { "backend": ["{{UPSTREAM}}"] },
          "log": { "access": "off" },
          \(extra.isEmpty ? "" : extra + ",")
          "routes": \(routes)
        }
        """
    }

    static let routeA = #"[{"name": "a", "prefix": "/a", "upstream": "backend", "auth": "public"}]"#
    static let routeB = #"[{"name": "b", "prefix": "/b", "upstream": "backend", "auth": "public"}]"#

    @Test("new routes apply; an in-flight request finishes on the route it began with")
    func routesSwapAndInFlightFinishes() throws {
        let f = try ReloadFixture(Self.config(routes: Self.routeA))
        defer { f.stop() }
        f.upstream.handle("/a/slow", .delay(seconds: 0.3, then: .respond(status: 200, headers: [], body: Array("slow".utf8), framing: .contentLength)))
        let slow = try TestClient(port: f.port)
        defer { slow.close() }
        #expect(slow.send(path: "/a/slow"))
        #expect(f.upstream.waitForRequests(count: 1, timeout: 5))

        let report = try f.reload(Self.config(routes: Self.routeB))
        #expect(report.ok, "\(report.message) \(report.problems)")
        #expect(try slow.readResponse().bodyText == "slow")
        #expect(try TestClient.request(port: f.port, path: "/b/x").status == 200)
        #expect(try TestClient.request(port: f.port, path: "/a/x").status == 404)
    }

    @Test("an invalid config is refused with its JSON paths and the running config stays")
    func invalidConfigKeepsTheOld() throws {
        let f = try ReloadFixture(Self.config(routes: Self.routeA))
        defer { f.stop() }
        let broken = Self.config(routes: #"[{"name": "a", "prefix": "/a", "upstream": "nope", "auth": "public", "methdos": ["GET"]}]"#)
        let report = try f.reload(broken)
        #expect(!report.ok)
        #expect(report.problems.contains { $0.hasPrefix("routes[0].upstream") })
        #expect(report.problems.contains { $0.hasPrefix("routes[0].methdos") })
        let missingKey = Self.config(
            routes: Self.routeA,
            extra: #""issuers": {"x": {"iss": "https://x", "keys": [{"alg": "RS256", "public_key": "missing.pem"}]}}"#)
        let keyReport = try f.reload(missingKey)
        #expect(!keyReport.ok)
        #expect(keyReport.problems.contains { $0.hasPrefix("issuers.x.keys[0].public_key") })
        #expect(f.reloader.reloads == (2, 2))
        #expect(try TestClient.request(port: f.port, path: "/a/x").status == 200)
    }

    @Test("rate-limit buckets survive a reload that keeps the limit; a changed limit starts fresh")
    func bucketsSurvive() throws {
        let limited = #"[{"name": "a", "prefix": "/a", "upstream": "backend", "auth": "public", "rate_limit": {"rate": "1/m", "burst": 2}}]"#
        let f = try ReloadFixture(Self.config(routes: limited))
        defer { f.stop() }
        for _ in 0..<2 { #expect(try TestClient.request(port: f.port, path: "/a/x").status == 200) }
        #expect(try TestClient.request(port: f.port, path: "/a/x").status == 429)
        // The same limit, plus an unrelated route: the client's debt is still owed.
        let same = #"[{"name": "a", "prefix": "/a", "upstream": "backend", "auth": "public", "rate_limit": {"rate": "1/m", "burst": 2}}, {"name": "b", "prefix": "/b", "upstream": "backend", "auth": "public"}]"#
        #expect(try f.reload(Self.config(routes: same)).ok)
        #expect(try TestClient.request(port: f.port, path: "/a/x").status == 429)
        let changed = #"[{"name": "a", "prefix": "/a", "upstream": "backend", "auth": "public", "rate_limit": {"rate": "1/m", "burst": 3}}]"#
        #expect(try f.reload(Self.config(routes: changed)).ok)
        #expect(try TestClient.request(port: f.port, path: "/a/x").status == 200)
    }

    @Test("a key removed by a reload is not trusted through the token cache")
    func removedKeyIsNotCached() throws {
        let secret = Mutex("first-secret-that-is-long-enough-for-HS256!!")
        let env: @Sendable (String) -> String? = { name in name == "RELOAD_SECRET" ? secret.withLock { $0 } : nil }
        let issuers = #""issuers": {"t": {"iss": "\#(AuthFixtures.issuer)", "keys": [{"kid": "hs", "alg": "HS256", "secret_env": "RELOAD_SECRET"}]}}"#
        let secure = #"[{"name": "s", "prefix": "/s", "upstream": "backend", "auth": "authenticated"}]"#
        let f = try ReloadFixture(Self.config(routes: secure, extra: issuers), environment: env)
        defer { f.stop() }
        let key = try KeyLoader.hmacSigningKey(Array(secret.withLock { $0 }.utf8), algorithm: .HS256, kid: "hs")
        let token = try AuthFixtures.token(
            header: #"{"alg":"HS256","typ":"JWT","kid":"hs"}"#, payload: AuthFixtures.payload(aud: nil), key: key)
        // Twice on one connection: the second is a cache hit on that worker.
        let client = try TestClient(port: f.port)
        defer { client.close() }
        for _ in 0..<2 {
            #expect(client.send(path: "/s/x", headers: [AuthFixtures.bearer(token)]))
            #expect(try client.readResponse().status == 200)
        }
        secret.withLock { $0 = "second-secret-that-is-long-enough-for-HS256!" }
        let report = try f.reload(Self.config(routes: secure, extra: issuers))
        #expect(report.ok, "\(report.message)")
        #expect(report.message.contains("token caches reset"))
        #expect(client.send(path: "/s/x", headers: [AuthFixtures.bearer(token)]))
        let refused = try client.readResponse()
        #expect(refused.status == 401)
        #expect(refused.errorCode == "invalid_token")
    }

    @Test("a new listen address is served at once; a removed one stops accepting, its connections stay")
    func listenersChange() throws {
        let f = try ReloadFixture(Self.config(routes: Self.routeA))
        defer { f.stop() }
        let oldPort = f.port
        let kept = try TestClient(port: oldPort)
        defer { kept.close() }
        #expect(kept.send(path: "/a/1"))
        #expect(try kept.readResponse().status == 200)

        let newPort = try freePort()
        let report = try f.reload(Self.config(routes: Self.routeA, listen: #""127.0.0.1:\#(newPort)""#))
        #expect(report.ok, "\(report.message)")
        #expect(try TestClient.request(port: newPort, path: "/a/2").status == 200)
        // The established keep-alive connection on the dropped address still works.
        #expect(kept.send(path: "/a/3"))
        #expect(try kept.readResponse().status == 200)
        #expect(throws: (any Error).self) { _ = try TestClient.request(port: oldPort, path: "/a/4") }
    }

    @Test("10 reloads under load drop no connection and fail no request")
    func reloadsUnderLoad() throws {
        let f = try ReloadFixture(Self.config(routes: Self.routeA))
        defer { f.stop() }
        let failures = Mutex<[String]>([])
        let done = Atomic<Bool>(false)
        let served = Atomic<Int>(0)
        let port = f.port
        var threads: [Thread] = []
        for i in 0..<4 {
            let t = Thread {
                do {
                    let client = try TestClient(port: port)
                    defer { client.close() }
                    var n = 0
                    while !done.load(ordering: .relaxed) {
                        n += 1
                        guard client.send(path: "/a/\(i)/\(n)") else { throw GatewayHarness.StartError(description: "send failed") }
                        let r = try client.readResponse()
                        if r.status != 200 { throw GatewayHarness.StartError(description: "status \(r.status)") }
                        served.add(1, ordering: .relaxed)
                    }
                } catch {
                    failures.withLock { $0.append("client \(i): \(error)") }
                }
            }
            threads.append(t)
            t.start()
        }
        #expect(waitUntil(timeout: 10) { served.load(ordering: .relaxed) >= 50 })
        for i in 0..<10 {
            let routes = i % 2 == 0
                ? #"[{"name": "a", "prefix": "/a", "upstream": "backend", "auth": "public"}, {"name": "b\#(i)", "prefix": "/b", "upstream": "backend", "auth": "public"}]"#
                : Self.routeA
            let report = try f.reload(Self.config(routes: routes))
            #expect(report.ok, "\(report.message)")
            let before = served.load(ordering: .relaxed)
            #expect(waitUntil(timeout: 10) { served.load(ordering: .relaxed) > before + 20 })
        }
        done.store(true, ordering: .relaxed)
        #expect(waitUntil(timeout: 10) { threads.allSatisfy(\.isFinished) })
        #expect(failures.withLock { $0 } == [])
    }
}

/// A port that was free a moment ago (bound and released by the kernel's choice).
func freePort() throws -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Bool in
            bind(fd, p, len) == 0 && getsockname(fd, p, &len) == 0
        }
    }
    guard bound else { throw GatewayHarness.StartError(description: "no free port") }
    return UInt16(bigEndian: addr.sin_port)
}

@Suite("Hot reload: certificates", .serialized)
struct CertificateReloadTests {
    static func config(cert: String, key: String) -> String {
        ReloadTests.config(
            routes: ReloadTests.routeA,
            listen: #"{"address": "127.0.0.1:0", "tls": {"cert": "\#(cert)", "key": "\#(key)", "handshake_timeout": "2s"}}"#)
    }

    /// curl's exit status for https://NAME on the gateway's port, verified against the test CA.
    static func curl(_ name: String, port: UInt16, ca: String) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = ["-sS", "-o", "/dev/null", "--max-time", "10", "--cacert", ca, "--resolve", "\(name):\(port):127.0.0.1", "https://\(name):\(port)/a/x"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    @Test("a reload serves new certificates to new connections; a bad certificate keeps the old one")
    func certificatesReload() throws {
        let certs = TLSCertificateSet.shared
        let f = try ReloadFixture(Self.config(cert: certs.path("localhost.pem"), key: certs.path("localhost.key")))
        defer { f.stop() }
        let ca = certs.path("ca.pem")
        #expect(try Self.curl("localhost", port: f.port, ca: ca) == 0)
        #expect(try Self.curl("api.test", port: f.port, ca: ca) != 0)

        let report = try f.reload(Self.config(cert: certs.path("api.pem"), key: certs.path("api.key")))
        #expect(report.ok, "\(report.message) \(report.problems)")
        #expect(try Self.curl("api.test", port: f.port, ca: ca) == 0)

        let bad = try f.reload(Self.config(cert: certs.path("api.pem"), key: certs.path("localhost.key")))
        #expect(!bad.ok)
        #expect(bad.problems.contains { $0.hasPrefix("listen.tls") })
        #expect(try Self.curl("api.test", port: f.port, ca: ca) == 0)
    }
}

extension CertificateReloadTests {
    /// `openssl s_client` once, saving (`-sess_out`) or offering (`-sess_in`) a session; its output says "Reused" when
    /// the server resumed it.
    static func sClient(port: UInt16, ca: String, session: String, save: Bool) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        p.arguments = ["20", "openssl", "s_client", "-connect", "127.0.0.1:\(port)", "-servername", "localhost", "-CAfile", ca,
                       save ? "-sess_out" : "-sess_in", session]
        let input = Pipe()
        let output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        try p.run()
        // A whole request, so the TLS 1.3 ticket (sent after the handshake) is read before the connection closes.
        input.fileHandleForWriting.write(Data("GET /a/x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8))
        let out = output.fileHandleForReading.readDataToEndOfFile()
        try? input.fileHandleForWriting.close()
        p.waitUntilExit()
        return String(decoding: out, as: UTF8.self)
    }

    @Test("a reload that keeps the certificates keeps the ticket keys: sessions still resume")
    func ticketsSurviveAnUnchangedReload() throws {
        let certs = TLSCertificateSet.shared
        let config = Self.config(cert: certs.path("localhost.pem"), key: certs.path("localhost.key"))
        let f = try ReloadFixture(config)
        defer { f.stop() }
        let session = f.directory.appendingPathComponent("session.pem").path
        let first = try Self.sClient(port: f.port, ca: certs.path("ca.pem"), session: session, save: true)
        #expect(first.contains("New, TLSv1.3"), "\(first.prefix(400))")
        #expect(try f.reload(config).ok)
        let second = try Self.sClient(port: f.port, ca: certs.path("ca.pem"), session: session, save: false)
        #expect(second.contains("Reused, TLSv1.3"), "\(second.prefix(400))")
    }
}
