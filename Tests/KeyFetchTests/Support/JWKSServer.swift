import EventLoop
import Glibc
import Synchronization
import TLS

/// A real HTTP/1.1 server on 127.0.0.1 standing in for an identity provider: answers each path with a
/// configurable reply, one connection at a time, and records every request it receives. Over TLS when
/// given a server context.
final class JWKSServer: Sendable {
    enum Reply: Sendable {
        /// The server adds Content-Length, or chunked framing (7-byte chunks) when `chunked`.
        case body(status: Int, headers: [(String, String)], body: [UInt8], chunked: Bool)
        /// Exactly these bytes, then close.
        case raw([UInt8])
    }

    private struct State {
        var replies: [String: Reply] = [:]
        var requests: [(path: String, at: UInt64)] = []
    }

    let port: UInt16
    private let listenFD: Int32
    private let state = Mutex(State())
    private let thread = WorkerThread()
    private let stopped = Atomic<Bool>(false)
    private let tls: TLSServerContext?

    init(tls: TLSServerContext? = nil) throws {
        self.tls = tls
        let fd = try Socket.listen(SocketAddress(host: "127.0.0.1", port: 0) ?? Self.unreachable(), reusePort: false)
        listenFD = fd
        port = Socket.localAddress(fd)?.port ?? 0
        // The listener is non-blocking (Socket.listen): the thread polls it so `stop()` can end it.
        try thread.start(name: "jwks-server") { [self] in acceptLoop() }
    }

    private static func unreachable() -> SocketAddress {
        preconditionFailure("127.0.0.1 always parses")
    }

    var base: String { (tls == nil ? "http" : "https") + "://127.0.0.1:\(port)" }

    func reply(_ path: String, _ reply: Reply) {
        state.withLock { $0.replies[path] = reply }
    }

    func json(_ path: String, _ body: [UInt8], headers: [(String, String)] = [], chunked: Bool = false) {
        reply(path, .body(status: 200, headers: [("Content-Type", "application/json")] + headers, body: body, chunked: chunked))
    }

    func count(_ path: String) -> Int {
        state.withLock { $0.requests.filter { $0.path == path }.count }
    }

    /// Monotonic nanoseconds at which each request for `path` arrived.
    func times(_ path: String) -> [UInt64] {
        state.withLock { $0.requests.filter { $0.path == path }.map(\.at) }
    }

    /// Closes the listener: later connections are refused, as by a provider that is down.
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        thread.join()
        close(listenFD)
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .acquiring) {
            var pfd = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 20) > 0 else { continue }
            guard case .accepted(let fd, _) = Socket.accept(listenFD) else { continue }
            if let tls {
                if let session = try? TLSSession(server: tls, fd: fd) { serve(fd, TLSStream(session)) }
            } else {
                serve(fd, PlainStream(fd))
            }
            close(fd)
        }
    }

    private func serve(_ fd: Int32, _ stream: some ServerStream) {
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Clock.monotonicNanos() + 5_000_000_000
        while !Self.headEnds(request) {
            guard Clock.monotonicNanos() < deadline else { return }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 100) >= 0 else { return }
            let n = buffer.withUnsafeMutableBytes { stream.read(into: $0) }
            switch n {
            case .bytes(let k): request += buffer[0..<k]
            case .wouldBlock: continue
            case .closed, .failed: return
            }
        }
        let line = request.prefix { $0 != 0x0D }.split(separator: 0x20)
        let path = line.count >= 2 ? String(decoding: line[1], as: UTF8.self) : ""
        let reply = state.withLock { s -> Reply? in
            s.requests.append((path, Clock.monotonicNanos()))
            return s.replies[path]
        }
        let bytes = Self.encode(reply ?? .body(status: 404, headers: [], body: Array("not found".utf8), chunked: false))
        var sent = 0
        while sent < bytes.count {
            let r = bytes.withUnsafeBytes { stream.write(from: UnsafeRawBufferPointer(rebasing: $0[sent...])) }
            switch r {
            case .bytes(let k): sent += k
            case .wouldBlock:
                var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&pfd, 1, 100)
            case .closed, .failed: return
            }
        }
    }

    private static func headEnds(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && bytes.suffix(4).elementsEqual([0x0D, 0x0A, 0x0D, 0x0A])
    }

    private static func encode(_ reply: Reply) -> [UInt8] {
        switch reply {
        case .raw(let bytes):
            return bytes
        case .body(let status, let headers, let body, let chunked):
            var head = "HTTP/1.1 \(status) X\r\nConnection: close\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            guard chunked else { return Array((head + "Content-Length: \(body.count)\r\n\r\n").utf8) + body }
            var out = Array((head + "Transfer-Encoding: chunked\r\n\r\n").utf8)
            var i = 0
            while i < body.count {
                let piece = body[i..<min(i + 7, body.count)]
                out += Array((String(piece.count, radix: 16) + "\r\n").utf8) + piece + [0x0D, 0x0A]
                i += 7
            }
            return out + Array("0\r\n\r\n".utf8)
        }
    }
}

/// One accepted connection's byte stream, plain or TLS, in `Socket`'s terms.
protocol ServerStream {
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Socket.IOResult
    func write(from buffer: UnsafeRawBufferPointer) -> Socket.IOResult
}

struct PlainStream: ServerStream {
    let fd: Int32
    init(_ fd: Int32) { self.fd = fd }
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Socket.IOResult { Socket.read(fd, into: buffer) }
    func write(from buffer: UnsafeRawBufferPointer) -> Socket.IOResult { Socket.write(fd, from: buffer) }
}

/// The handshake is driven by the first reads (OpenSSL completes it inside SSL_read).
struct TLSStream: ServerStream {
    let session: TLSSession
    init(_ session: TLSSession) { self.session = session }
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Socket.IOResult { map(session.read(into: buffer)) }
    func write(from buffer: UnsafeRawBufferPointer) -> Socket.IOResult { map(session.write(from: buffer)) }
    private func map(_ io: TLSIO) -> Socket.IOResult {
        switch io {
        case .bytes(let n): .bytes(n)
        case .wantRead, .wantWrite: .wouldBlock
        case .closed: .closed
        case .failed: .failed(EPROTO)
        }
    }
}
