import Config
import EventLoop
import Foundation
import Glibc
import Proxy
import TLS
import Testing

/// TLS through real gateways: curl, openssl and Python's ssl module as clients; a second gateway with a TLS
/// listener as the https upstream of a first one.
@Suite(.serialized) struct TLSIntegrationTests {
    let certs = TLSCertificateSet.shared

    func serverContext() throws -> TLSServerContext {
        try TLSServerContext(
            defaultCertificate: TLSCertificateFiles(certificate: certs.path("localhost.pem"), key: certs.path("localhost.key")),
            certificates: [TLSCertificateFiles(certificate: certs.path("api.pem"), key: certs.path("api.key"))])
    }

    @Test func curlRequestsWithKeepAliveOverTLS() throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let gw = try TLSGateway(upstreamPort: upstream.port, listener: ListenerTLS(context: serverContext()))
        defer { gw.stop() }
        let url = "https://localhost:\(gw.port)/hello"
        // Two URLs in one curl run share the connection: the second needs no new connect (num_connects 0).
        let out = try run(
            "/usr/bin/curl",
            ["-sS", "--cacert", certs.path("ca.pem"), "--resolve", "localhost:\(gw.port):127.0.0.1", "-o", "/dev/null", "-o", "/dev/null", "-w", "%{http_code} %{num_connects} %{ssl_verify_result}\n", url, url])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout == "200 1 0\n200 0 0\n")
        #expect(upstream.waitForRequests(count: 2, timeout: 5))
        // The API behind is told the client's scheme, for its redirects and secure cookies.
        #expect(upstream.received.map { $0.header("X-Forwarded-Proto") } == ["https", "https"])
    }

    @Test func largeBodiesBothWaysOverTLS() throws {
        let upstream = TestUpstream()
        upstream.handle("/big", .large(bytes: 3 << 20, framing: .contentLength))
        upstream.handle("/echo", .echoBody)
        try upstream.start()
        defer { upstream.stop() }
        let gw = try TLSGateway(upstreamPort: upstream.port, listener: ListenerTLS(context: serverContext()))
        defer { gw.stop() }
        let dir = certs.dir
        let upload = TestUpstream.pattern(count: 700_000)
        _ = FileManager.default.createFile(atPath: dir + "/upload.bin", contents: Data(upload))
        let base = ["-sS", "--cacert", certs.path("ca.pem"), "--resolve", "localhost:\(gw.port):127.0.0.1"]
        let big = try run("/usr/bin/curl", base + ["-o", dir + "/big.out", "https://localhost:\(gw.port)/big"])
        #expect(big.status == 0, "\(big.stderr)")
        #expect(FileManager.default.contents(atPath: dir + "/big.out") == Data(TestUpstream.pattern(count: 3 << 20)))
        let echo = try run("/usr/bin/curl", base + ["--data-binary", "@" + dir + "/upload.bin", "-o", dir + "/echo.out", "https://localhost:\(gw.port)/echo"])
        #expect(echo.status == 0, "\(echo.stderr)")
        #expect(FileManager.default.contents(atPath: dir + "/echo.out") == Data(upload))
    }

    @Test(arguments: [("api.test", true), ("x.wild.test", true), ("localhost", true), ("other.test", false)])
    func sniSelectsTheCertificate(_ name: String, _ verifies: Bool) throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let gw = try TLSGateway(upstreamPort: upstream.port, listener: ListenerTLS(context: serverContext()))
        defer { gw.stop() }
        // curl verifies the name against the certificate it got: only the one SNI should pick passes.
        let out = try run(
            "/usr/bin/curl",
            ["-sS", "--cacert", certs.path("ca.pem"), "--resolve", "\(name):\(gw.port):127.0.0.1", "-o", "/dev/null", "-w", "%{http_code}", "https://\(name):\(gw.port)/"])
        if verifies {
            #expect(out.status == 0 && out.stdout == "200", "\(out.stderr)")
        } else {
            #expect(out.status == 60, "\(out.stderr)")  // peer certificate cannot be authenticated: the default one came
        }
    }

    @Test(arguments: ["TLSv1", "TLSv1_1"])
    func oldProtocolVersionsAreRefusedByTheServer(_ version: String) throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let gw = try TLSGateway(upstreamPort: upstream.port, listener: ListenerTLS(context: serverContext()))
        defer { gw.stop() }
        // The client is allowed the old version (security level 0), so the refusal can only be the server's alert.
        let script = """
            import socket, ssl
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            ctx.set_ciphers('DEFAULT@SECLEVEL=0')
            ctx.minimum_version = ssl.TLSVersion.\(version)
            ctx.maximum_version = ssl.TLSVersion.\(version)
            s = socket.create_connection(('127.0.0.1', \(gw.port)), timeout=5)
            try:
                ctx.wrap_socket(s).close()
                print('handshake ok')
            except ssl.SSLError as e:
                print(e.reason)
            """
        let out = try run("/usr/bin/env", ["python3", "-c", script])
        #expect(out.stdout == "TLSV1_ALERT_PROTOCOL_VERSION\n", "\(out.stdout) \(out.stderr)")
    }

    @Test(arguments: [[UInt8](), [0x16, 0x03, 0x01, 0x00, 0xFF, 0x01, 0x00]])
    func aStalledHandshakeIsCutOffAtTheTimeout(_ partialHello: [UInt8]) throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let gw = try TLSGateway(upstreamPort: upstream.port, listener: ListenerTLS(context: serverContext(), handshakeTimeout: .seconds(1)))
        defer { gw.stop() }
        let client = try TestClient(port: gw.port)
        defer { client.close() }
        if !partialHello.isEmpty { client.send(partialHello) }
        let start = monotonicSeconds()
        #expect(client.isClosedByPeer(within: 4))
        #expect(monotonicSeconds() - start > 0.8)
        #expect(waitUntil(timeout: 2) { gw.gateway.openConnections == 0 })
    }

    @Test func plainHTTPOnTheTLSPortGetsACleanCloseAndNoHTTPAnswer() throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let gw = try TLSGateway(upstreamPort: upstream.port, listener: ListenerTLS(context: serverContext()))
        defer { gw.stop() }
        let client = try TestClient(port: gw.port)
        defer { client.close() }
        client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let start = monotonicSeconds()
        var buf = [UInt8](repeating: 0, count: 4096)
        var got: [UInt8] = []
        var last = 0
        repeat {
            last = recv(client.fd, &buf, buf.count, 0)
            if last > 0 { got += buf[0..<last] }
        } while last > 0
        #expect(last == 0, "a FIN, not a reset (errno \(errno))")
        #expect(monotonicSeconds() - start < 2, "closed at once, not at a timeout")
        #expect(!got.starts(with: Array("HTTP/".utf8)))
        #expect(upstream.received.isEmpty)
    }

    /// A TLS 1.3 client is done with its handshake once our first flight arrives, so clients that reconnect
    /// at once can keep the accept loop busy while the connections they left wait to be closed: with a low
    /// per-address cap that used to refuse (reset) new connections. Accepting in batches, with each handshake
    /// step on its connection's own event, keeps the count of open connections near the count of clients.
    @Test func clientsReconnectingAtOnceAreNotRefused() throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let gw = try TLSGateway(
            upstreamPort: upstream.port, listener: ListenerTLS(context: serverContext()),
            extra: #""limits": { "max_connections_per_ip": 16 }"#)
        defer { gw.stop() }
        let script = """
            import socket, ssl, threading
            results = []
            def run():
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
                ok = failed = 0
                for _ in range(150):
                    try:
                        s = ctx.wrap_socket(socket.create_connection(('127.0.0.1', \(gw.port)), timeout=5))
                        s.close()
                        ok += 1
                    except OSError:
                        failed += 1
                results.append((ok, failed))
            threads = [threading.Thread(target=run) for _ in range(4)]
            for t in threads: t.start()
            for t in threads: t.join()
            print(sum(x[0] for x in results), sum(x[1] for x in results))
            """
        let out = try run("/usr/bin/env", ["python3", "-c", script])
        #expect(out.stdout == "600 0\n", "\(out.stdout) \(out.stderr)")
    }

    /// Gateway A (plain) forwards to https://127.0.0.1:B, gateway B terminates TLS in front of the test upstream.
    @Test(arguments: [("ca.pem", "localhost", 200), ("ca.pem", "127.0.0.1", 200), ("other-ca.pem", "localhost", 502), ("ca.pem", "wrong.test", 502)])
    func httpsUpstreamIsVerified(_ ca: String, _ serverName: String, _ status: Int) throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let b = try TLSGateway(upstreamPort: upstream.port, listener: ListenerTLS(context: serverContext()))
        defer { b.stop() }
        let target = UpstreamTLS(context: try TLSClientContext(caFile: certs.path(ca)), serverName: serverName)
        let a = try TLSGateway(upstreamPort: b.port, listener: nil, upstreamTLS: target)
        defer { a.stop() }
        let client = try TestClient(port: a.port)
        defer { client.close() }
        for i in 0..<3 {
            client.send(path: "/through/\(i)")
            let r = try client.readResponse()
            #expect(r.status == status)
            if status != 200 { break }
        }
        if status == 200 {
            #expect(upstream.waitForRequests(count: 3, timeout: 5))
            // Keep-alive to the https upstream: B's upstream saw one connection from B, and B one from A.
            #expect(Set(upstream.received.map(\.connectionID)).count == 1)
        } else {
            #expect(upstream.received.isEmpty)
        }
    }

    private func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        // Every client runs under timeout(1): a stuck client must fail its test, never hang the suite.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        p.arguments = ["60", executable] + arguments
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}

/// A gateway on 127.0.0.1:0 with one catch-all route to `upstreamPort`, its listener and its upstream target
/// optionally TLS.
final class TLSGateway {
    let gateway: Gateway
    let port: UInt16

    init(upstreamPort: UInt16, listener: ListenerTLS?, upstreamTLS: UpstreamTLS? = nil, extra: String = "") throws {
        let json = GatewayHarness.config(routes: CoreFixture.catchAll, extra: extra)
            .replacingOccurrences(of: "{{UPSTREAM}}", with: "127.0.0.1:\(upstreamPort)")
        let cfg: GatewayConfig
        switch ConfigLoader.decode(Array(json.utf8), baseDirectory: nil) {
        case .success(let c): cfg = c
        case .failure(let e): throw GatewayHarness.StartError(description: "config: \(e)")
        }
        let base: Snapshot
        switch SnapshotBuilder.build(cfg, environment: { _ in nil }) {
        case .success(let s): base = s
        case .failure(let e): throw GatewayHarness.StartError(description: "snapshot: \(e)")
        }
        var upstreams = base.upstreams
        if let upstreamTLS { upstreams[0].tls = [upstreamTLS] }
        let snapshot = Snapshot(
            listen: base.listen, workers: base.workers, realm: base.realm, limits: base.limits, timeouts: base.timeouts,
            upstreams: upstreams, routes: base.routes, issuers: base.issuers, rateLimit: base.rateLimit, log: base.log,
            issuer: base.issuer, store: base.store, reloadState: base.reloadState, listenTLS: [listener])
        gateway = Gateway(snapshot: snapshot)
        try gateway.start()
        port = gateway.boundAddresses.first?.port ?? 0
    }

    func stop() {
        gateway.shutdown()
        gateway.wait()
    }
}

/// Certificates made with the `openssl` CLI once per test process: a CA, "localhost" (and 127.0.0.1) and
/// "api.test" (and "*.wild.test") signed by it, and another CA that signed neither.
struct TLSCertificateSet: Sendable {
    let dir: String

    func path(_ name: String) -> String { dir + "/" + name }

    static let shared: TLSCertificateSet = {
        let set = TLSCertificateSet(dir: NSTemporaryDirectory() + "gateway-tls-\(getpid())")
        try? FileManager.default.createDirectory(atPath: set.dir, withIntermediateDirectories: true)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        set.openssl(["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "30", "-subj", "/CN=Gateway Test CA"])
        set.openssl(["req", "-x509"] + ec + ["-keyout", "other-ca.key", "-out", "other-ca.pem", "-days", "30", "-subj", "/CN=Other CA"])
        for (name, cn, san) in [("localhost", "localhost", "DNS:localhost,IP:127.0.0.1"), ("api", "api.test", "DNS:api.test,DNS:*.wild.test")] {
            set.openssl(["req"] + ec + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(cn)"])
            _ = FileManager.default.createFile(atPath: set.path("\(name).ext"), contents: Data("subjectAltName=\(san)\n".utf8))
            set.openssl([
                "x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "30",
                "-extfile", "\(name).ext", "-out", "\(name).pem",
            ])
        }
        return set
    }()

    private func openssl(_ args: [String]) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do {
            try p.run()
            p.waitUntilExit()
        } catch {
            Issue.record("openssl \(args.first ?? ""): \(error)")
        }
    }
}
