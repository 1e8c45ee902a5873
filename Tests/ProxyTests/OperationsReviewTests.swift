import Foundation
import Glibc
import Proxy
import Synchronization
import TLS
import Testing

/// Review of the operations work (TLS, reload, admin): each test is a finding that failed before its fix.
@Suite(.serialized) struct OperationsReviewTests {
    let certs = TLSCertificateSet.shared

    /// An https upstream that sends bytes past the end of its response, in a TLS record of their own that
    /// arrives with the response: OpenSSL's read-ahead takes them from the socket, so no epoll edge will ever
    /// announce them. A pooled connection holding them would hand them to the next client as its response.
    @Test func tlsUpstreamWithBufferedExtraBytesIsNotReused() throws {
        let upstream = try RecordSplittingTLSUpstream(context: TLSServerContext(
            defaultCertificate: TLSCertificateFiles(certificate: certs.path("localhost.pem"), key: certs.path("localhost.key")),
            sessionTickets: false))
        defer { upstream.stop() }
        let target = UpstreamTLS(context: try TLSClientContext(caFile: certs.path("ca.pem")), serverName: "localhost")
        let gw = try TLSGateway(upstreamPort: upstream.port, listener: nil, upstreamTLS: target)
        defer { gw.stop() }
        let client = try TestClient(port: gw.port)
        defer { client.close() }
        _ = client.send(path: "/first")
        let first = try client.readResponse()
        #expect(first.status == 200 && first.bodyText == "first")
        _ = client.send(path: "/second")
        let second = try client.readResponse()
        #expect(second.bodyText == "second", "another exchange's bytes were served: \(second.bodyText)")
    }

    /// Admin connections share the process's descriptor table with the workers, and each may stay open for
    /// the whole admin timeout: without a cap, idle connections to the admin port could use up every
    /// descriptor and stop the workers from accepting clients. Past the cap a new one is closed at once.
    @Test func adminConnectionsAreCapped() throws {
        try AdminTests.withAdmin { _, admin in
            var idle: [TestClient] = []
            defer { for c in idle { c.close() } }
            for _ in 0..<AdminServer.maxConnections { idle.append(try TestClient(port: admin.port)) }
            let extra = try TestClient(port: admin.port)
            defer { extra.close() }
            #expect(extra.isClosedByPeer(within: 3))
            // The connections within the cap are still served.
            _ = idle[0].send(path: "/healthz")
            #expect(try idle[0].readResponse().status == 200)
        }
    }

    /// A limit removed by one reload frees its id; a limit added by a later reload must not get that id back,
    /// or it starts with the buckets the removed limit filled: clients would owe the old route's debt.
    @Test func aLaterLimitDoesNotInheritARemovedLimitsBuckets() throws {
        let limited = #"[{"name": "a", "prefix": "/a", "upstream": "backend", "auth": "public", "rate_limit": {"rate": "1/m", "burst": 2}}]"#
        let f = try ReloadFixture(ReloadTests.config(routes: limited))
        defer { f.stop() }
        for _ in 0..<2 { #expect(try TestClient.request(port: f.port, path: "/a/x").status == 200) }
        #expect(try TestClient.request(port: f.port, path: "/a/x").status == 429)
        let unlimited = #"[{"name": "a", "prefix": "/a", "upstream": "backend", "auth": "public", "rate_limit": false}]"#
        #expect(try f.reload(ReloadTests.config(routes: unlimited)).ok)
        let other = #"[{"name": "b", "prefix": "/b", "upstream": "backend", "auth": "public", "rate_limit": {"rate": "1/m", "burst": 1}}]"#
        #expect(try f.reload(ReloadTests.config(routes: other)).ok)
        #expect(try TestClient.request(port: f.port, path: "/b/x").status == 200)
    }
}

/// A TLS upstream (blocking sockets, one thread per connection) whose first answer is a 5-byte response
/// followed, in a separate TLS record sent in the same TCP segment, by a whole extra response. Every later
/// request, on any connection, gets "second".
final class RecordSplittingTLSUpstream: @unchecked Sendable {
    let port: UInt16
    private let listenFD: Int32
    private let context: TLSServerContext
    private let answered = Mutex(false)
    private let threads = Mutex<[Thread]>([])

    init(context: TLSServerContext) throws {
        self.context = context
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, len) == 0 && listen(fd, 16) == 0 && getsockname(fd, sa, &len) == 0
            }
        }
        guard ok else {
            Glibc.close(fd)
            throw TestKitError.io(errno: errno)
        }
        listenFD = fd
        port = UInt16(bigEndian: addr.sin_port)
        let t = Thread { [self] in acceptLoop() }
        t.start()
    }

    func stop() {
        Glibc.shutdown(listenFD, Int32(SHUT_RDWR))
        Glibc.close(listenFD)
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listenFD, nil, nil)
            if fd < 0 { return }
            Thread { [self] in serve(fd) }.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer { Glibc.close(fd) }
        var tv = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        guard let session = try? TLSSession(server: context, fd: fd), case .done = session.handshake() else { return }
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            while pending.firstRange(of: Array("\r\n\r\n".utf8)) == nil {
                guard case .bytes(let n) = chunk.withUnsafeMutableBytes({ session.read(into: $0) }), n > 0 else { return }
                pending.append(contentsOf: chunk[0..<n])
            }
            if let r = pending.firstRange(of: Array("\r\n\r\n".utf8)) { pending.removeSubrange(0..<r.upperBound) }
            let first = answered.withLock { done in
                defer { done = true }
                return !done
            }
            if first {
                var on: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), 3 /* TCP_CORK */, &on, socklen_t(MemoryLayout<Int32>.size))
                write(session, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst")
                write(session, "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nsmuggled")
                var off: Int32 = 0
                setsockopt(fd, Int32(IPPROTO_TCP), 3 /* TCP_CORK */, &off, socklen_t(MemoryLayout<Int32>.size))
            } else {
                write(session, "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond")
            }
        }
    }

    private func write(_ session: TLSSession, _ text: String) {
        _ = Array(text.utf8).withUnsafeBytes { session.write(from: $0) }
    }
}
