import EventLoop
import Glibc
import TLS

/// One GET over a fresh connection (`Connection: close`), driven by the fetcher's event loop. The peer
/// is untrusted: the head goes through HTTP1's strict parser, the body is bounded, and every failure
/// ends in `.failed` with a reason, never a crash.
final class HTTPFetch: EventHandler {
    enum Outcome {
        case response(status: Int, maxAge: Int?, body: [UInt8])
        case failed(String)
    }

    private enum Phase { case connecting, handshaking, writing, reading, done }

    let deadline: UInt64
    private let fd: Int32
    private let loop: EventLoop
    private let transport: Transport
    private let completion: (Outcome) -> Void
    private var phase = Phase.connecting
    private let request: [UInt8]
    private var written = 0
    private var scratch = [UInt8](repeating: 0, count: 16 << 10)
    private var reader = HTTPResponseReader()

    /// Starts connecting; `completion` runs exactly once, from the loop (or from `cancel`).
    static func start(
        _ url: FetchURL, address: SocketAddress, loop: EventLoop, timeout: Duration, tls: TLSClientContext?,
        completion: @escaping (Outcome) -> Void
    ) -> HTTPFetch? {
        let fd: Int32
        switch Socket.connect(address) {
        case .connected(let f), .inProgress(let f): fd = f
        case .failed(let e):
            completion(.failed("connect to \(address) failed: \(String(cString: strerror(e)))"))
            return nil
        }
        let transport: Transport
        if url.scheme == .https {
            guard let tls else {
                close(fd)
                completion(.failed("https needs a TLS context"))
                return nil
            }
            do {
                transport = TLSTransport(session: try TLSSession(client: tls, fd: fd, serverName: url.host))
            } catch {
                close(fd)
                completion(.failed("cannot start TLS: \(error)"))
                return nil
            }
        } else {
            transport = PlainTransport(fd: fd)
        }
        let fetch = HTTPFetch(
            fd: fd, loop: loop, transport: transport, request: requestBytes(url),
            deadline: Clock.monotonicNanos() &+ timeout.nanoseconds, completion: completion)
        do {
            try loop.register(fd, fetch)
        } catch {
            close(fd)
            completion(.failed("cannot register the connection: \(error)"))
            return nil
        }
        return fetch
    }

    private init(
        fd: Int32, loop: EventLoop, transport: Transport, request: [UInt8], deadline: UInt64,
        completion: @escaping (Outcome) -> Void
    ) {
        self.fd = fd
        self.loop = loop
        self.transport = transport
        self.request = request
        self.deadline = deadline
        self.completion = completion
    }

    private static func requestBytes(_ url: FetchURL) -> [UInt8] {
        Array(
            ("GET \(url.target) HTTP/1.1\r\nHost: \(url.hostHeader)\r\nAccept: application/json\r\n"
                + "User-Agent: gateway-keyfetch\r\nConnection: close\r\n\r\n").utf8)
    }

    /// Ends the exchange now (timeout or shutdown).
    func cancel(_ reason: String) {
        finish(.failed(reason))
    }

    func handleTimer(now: UInt64) {}

    func handleEvent(_ events: UInt32) {
        if phase == .connecting {
            // Writability (or an error) is how a non-blocking connect reports completion.
            guard events & (IOEvents.writable | IOEvents.error | IOEvents.hangup) != 0 else { return }
            let error = Socket.pendingError(fd)
            guard error == 0 else { return finish(.failed("connect failed: \(String(cString: strerror(error)))")) }
            phase = .handshaking
        }
        advance()
    }

    private func advance() {
        while true {
            switch phase {
            case .connecting, .done:
                return
            case .handshaking:
                switch transport.handshake() {
                case .bytes: phase = .writing
                case .wantRead, .wantWrite: return
                case .closed: return finish(.failed("the connection closed during the handshake"))
                case .failed(let why): return finish(.failed(why))
                }
            case .writing:
                let io = request.withUnsafeBytes { transport.write(from: UnsafeRawBufferPointer(rebasing: $0[written...])) }
                switch io {
                case .bytes(let n):
                    written += n
                    if written >= request.count { phase = .reading }
                case .wantRead, .wantWrite: return
                case .closed: return finish(.failed("the connection closed before the request was sent"))
                case .failed(let why): return finish(.failed(why))
                }
            case .reading:
                let io = scratch.withUnsafeMutableBytes { raw -> TransportIO in
                    let io = transport.read(into: raw)
                    if case .bytes(let n) = io { reader.append(UnsafeRawBufferPointer(rebasing: raw[0..<n])) }
                    return io
                }
                switch io {
                case .bytes:
                    if let outcome = reader.process(atEOF: false) { return finish(outcome) }
                case .wantRead, .wantWrite: return
                case .closed: return finish(reader.process(atEOF: true) ?? .failed("the response ended early"))
                case .failed(let why): return finish(.failed(why))
                }
            }
        }
    }

    private func finish(_ outcome: Outcome) {
        guard phase != .done else { return }
        phase = .done
        loop.deregister(fd)
        close(fd)
        reader = HTTPResponseReader()
        completion(outcome)
    }
}
