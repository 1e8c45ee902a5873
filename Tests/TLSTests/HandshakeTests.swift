import COpenSSL
import Glibc
import Testing

@testable import TLS

@Suite struct HandshakeTests {
    let certs = TestCertificates.shared

    func serverContext(sessionTickets: Bool = true, minVersion: TLSVersion = .tls12) throws -> TLSServerContext {
        try TLSServerContext(
            defaultCertificate: TLSCertificateFiles(certificate: certs.localhostCert, key: certs.localhostKey),
            certificates: [TLSCertificateFiles(certificate: certs.apiCert, key: certs.apiKey)], minVersion: minVersion,
            sessionTickets: sessionTickets)
    }

    @Test func verifiedHandshakeThenBytesBothWays() throws {
        let pair = try SessionPair(server: serverContext(), client: TLSClientContext(caFile: certs.ca), name: "localhost")
        let (s, c) = pair.handshake()
        #expect(s == .done && c == .done)
        #expect(pair.client.protocolVersion == "TLSv1.3")
        let hello: [UInt8] = Array("GET / HTTP/1.1\r\n\r\n".utf8)
        #expect(hello.withUnsafeBytes { pair.client.write(from: $0) } == .bytes(hello.count))
        var buf = [UInt8](repeating: 0, count: 64)
        #expect(buf.withUnsafeMutableBytes { pair.server.read(into: $0) } == .bytes(hello.count))
        #expect(Array(buf[0..<hello.count]) == hello)
        #expect(buf.withUnsafeMutableBytes { pair.server.read(into: $0) } == .wantRead)
        pair.client.shutdown()
        #expect(buf.withUnsafeMutableBytes { pair.server.read(into: $0) } == .closed)
    }

    @Test(arguments: [("api.test", "/CN=api.test"), ("x.wild.test", "/CN=api.test"), ("localhost", "/CN=localhost"), ("unknown.test", "/CN=localhost")])
    func sniSelectsTheCertificate(_ name: String, _ subject: String) throws {
        let pair = try SessionPair(server: serverContext(), client: TLSClientContext(verify: false), name: name)
        let (s, c) = pair.handshake()
        #expect(s == .done && c == .done)
        #expect(pair.client.certificateSubject == subject)
        #expect(pair.server.requestedServerName == name)
    }

    @Test(arguments: [
        ("localhost", "ca", "ok"), ("127.0.0.1", "ca", "ok"), ("api.test", "ca", "ok"),
        ("wrong.test", "ca", "hostname mismatch"), ("localhost", "other", "unable to get local issuer certificate"),
        ("expired", "ca", "certificate has expired"),
    ])
    func clientVerifiesChainNameAndDates(_ name: String, _ ca: String, _ expected: String) throws {
        let server: TLSServerContext
        if name == "expired" {
            server = try TLSServerContext(defaultCertificate: TLSCertificateFiles(certificate: certs.expiredCert, key: certs.expiredKey))
        } else {
            server = try serverContext()
        }
        let client = try TLSClientContext(caFile: ca == "ca" ? certs.ca : certs.otherCA)
        let pair = try SessionPair(server: server, client: client, name: name == "expired" ? "localhost" : name)
        let (_, c) = pair.handshake()
        if expected == "ok" {
            #expect(c == .done)
        } else {
            #expect(failure(c)?.contains(expected) == true, "\(c)")
        }
    }

    @Test func verificationOffAcceptsAnyCertificate() throws {
        let pair = try SessionPair(server: serverContext(), client: TLSClientContext(caFile: certs.otherCA, verify: false), name: "wrong.test")
        #expect(pair.handshake() == (.done, .done))
    }

    @Test(arguments: [TLS1_VERSION, TLS1_1_VERSION])
    func oldProtocolVersionsAreRefused(_ version: Int32) throws {
        let client = try TLSClientContext(verify: false)
        // The client is forced down (the library's own floor is 1.2): the refusal must come from the server.
        SSL_CTX_set_security_level(client.box.ctx, 0)
        #expect(SSL_CTX_ctrl(client.box.ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(version), nil) == 1)
        #expect(SSL_CTX_ctrl(client.box.ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, Int(version), nil) == 1)
        #expect(SSL_CTX_set_cipher_list(client.box.ctx, "DEFAULT:@SECLEVEL=0") == 1)
        let pair = try SessionPair(server: serverContext(), client: client, name: "localhost")
        let (s, c) = pair.handshake()
        #expect(failure(s)?.contains("unsupported protocol") == true, "\(s)")
        #expect(failure(c) != nil)
    }

    @Test func minimumTLS13RefusesTLS12() throws {
        let client = try TLSClientContext(verify: false)
        #expect(SSL_CTX_ctrl(client.box.ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, Int(TLS1_2_VERSION), nil) == 1)
        let pair = try SessionPair(server: serverContext(minVersion: .tls13), client: client, name: "localhost")
        let (s, _) = pair.handshake()
        #expect(failure(s) != nil)
    }

    @Test(arguments: [("http/1.1", true), ("h2,http/1.1", true), ("h2", false)])
    func alpnSelectsHTTP11AndRefusesH2Only(_ offer: String, _ ok: Bool) throws {
        let pair = try SessionPair(server: serverContext(), client: TLSClientContext(verify: false), name: "localhost")
        var wire: [UInt8] = []
        for p in offer.split(separator: ",") {
            wire.append(UInt8(p.utf8.count))
            wire.append(contentsOf: p.utf8)
        }
        #expect(SSL_set_alpn_protos(pair.client.ssl, wire, UInt32(wire.count)) == 0)
        let (s, c) = pair.handshake()
        if ok {
            #expect(s == .done && c == .done)
            var p: UnsafePointer<UInt8>?
            var n: UInt32 = 0
            SSL_get0_alpn_selected(pair.client.ssl, &p, &n)
            #expect(p.map { String(decoding: UnsafeBufferPointer(start: $0, count: Int(n)), as: UTF8.self) } == "http/1.1")
        } else {
            #expect(failure(s)?.contains("no application protocol") == true, "\(s)")
        }
    }

    /// A ticket from one handshake resumes the next one, still after one key rotation (previous key), not after two.
    @Test(arguments: [(0, true), (1, true), (2, false)])
    func sessionTicketsResumeAcrossOneRotation(_ rotations: Int, _ resumes: Bool) throws {
        let server = try serverContext()
        let client = try TLSClientContext(verify: false)
        #expect(SSL_CTX_ctrl(client.box.ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, Int(TLS1_2_VERSION), nil) == 1)
        let first = try SessionPair(server: server, client: client, name: "localhost")
        #expect(first.handshake() == (.done, .done))
        let session = try #require(SSL_get1_session(first.client.ssl))
        defer { SSL_SESSION_free(session) }
        for _ in 0..<rotations { server.rotateTicketKeys() }
        let second = try SessionPair(server: server, client: client, name: "localhost")
        #expect(SSL_set_session(second.client.ssl, session) == 1)
        #expect(second.handshake() == (.done, .done))
        #expect(second.server.resumed == resumes)
    }

    @Test func ticketsOffMeansNoResumptionByTicket() throws {
        let server = try serverContext(sessionTickets: false)
        let client = try TLSClientContext(verify: false)
        let pair = try SessionPair(server: server, client: client, name: "localhost")
        #expect(pair.handshake() == (.done, .done))
        var buf = [UInt8](repeating: 0, count: 16)
        _ = buf.withUnsafeMutableBytes { pair.client.read(into: $0) }
        let session = try #require(SSL_get1_session(pair.client.ssl))
        defer { SSL_SESSION_free(session) }
        #expect(SSL_SESSION_has_ticket(session) == 0)
    }

    /// A big write goes out in parts (partial writes, the buffer may move between calls), and a small read
    /// buffer leaves the rest of a record inside OpenSSL: `pending` tells the caller to keep reading.
    @Test func partialWritesAndPendingBytes() throws {
        let pair = try SessionPair(server: serverContext(), client: TLSClientContext(caFile: certs.ca), name: "localhost")
        #expect(pair.handshake() == (.done, .done))
        let total = 1 << 20
        var source = [UInt8](repeating: 0, count: total)
        for i in source.indices { source[i] = UInt8(truncatingIfNeeded: i &* 7) }
        var received: [UInt8] = []
        received.reserveCapacity(total)
        var sent = 0
        var sawWantWrite = false
        var sawPending = false
        var chunk = [UInt8](repeating: 0, count: 100)
        var rounds = 0
        while received.count < total && rounds < 100_000 {
            rounds += 1
            writeLoop: while sent < total {
                // A fresh copy each time: the bytes to retry are the same, their address is not.
                let rest = Array(source[sent...])
                switch rest.withUnsafeBytes({ pair.server.write(from: $0) }) {
                case .bytes(let n): sent += n
                case .wantWrite:
                    sawWantWrite = true
                    break writeLoop
                case let other:
                    Issue.record("write: \(other)")
                    return
                }
            }
            readLoop: while true {
                switch chunk.withUnsafeMutableBytes({ pair.client.read(into: $0) }) {
                case .bytes(let n):
                    received.append(contentsOf: chunk[0..<n])
                    if pair.client.pending > 0 { sawPending = true }
                case .wantRead:
                    break readLoop
                case let other:
                    Issue.record("read: \(other)")
                    return
                }
            }
        }
        #expect(received == source)
        #expect(sawWantWrite)
        #expect(sawPending)
    }

    @Test func peerResetIsAFailureAndEOFIsAClose() throws {
        let pair = try SessionPair(server: serverContext(), client: TLSClientContext(caFile: certs.ca), name: "localhost")
        #expect(pair.handshake() == (.done, .done))
        shutdown(pair.clientFD, Int32(SHUT_WR))
        var buf = [UInt8](repeating: 0, count: 16)
        #expect(buf.withUnsafeMutableBytes { pair.server.read(into: $0) } == .closed)
    }

    @Test func garbageInsteadOfAClientHelloFailsTheHandshake() throws {
        let pair = try SessionPair(server: serverContext(), client: TLSClientContext(caFile: certs.ca), name: "localhost")
        let plain = Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        #expect(write(pair.clientFD, plain, plain.count) == plain.count)
        #expect(failure(pair.server.handshake()) != nil)
    }
}
