import EventLoop
import Glibc
import HTTP1
import TLS

/// One GET over a fresh connection (`Connection: close`), driven by the fetcher's event loop. The peer
/// is untrusted: the head goes through HTTP1's strict parser, the body is bounded, and every failure
/// ends in `.failed` with a reason, never a crash.
final class HTTPFetch: EventHandler {
    enum Outcome {
        case response(status: Int, maxAge: Int?, body: [UInt8])
        case failed(String)
    }

    /// A JWK Set or discovery document is a few KiB; a bigger answer is refused rather than buffered.
    static let maxBodyBytes = 1 << 20
    static let headLimits = HeadLimits(maxHeadBytes: 16 << 10, maxHeaderCount: 64)

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
    private var received: [UInt8] = []
    private var parser = ResponseHeadParser(limits: HTTPFetch.headLimits)
    private var head = ResponseHead()
    private var headStart = 0
    private var headDone = false
    private var maxAge: Int?
    private var body: [UInt8] = []
    private var chunked = ChunkedDecoder(maxBodyBytes: HTTPFetch.maxBodyBytes)
    private var bodyStart = 0

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
                    if case .bytes(let n) = io { received.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[0..<n])) }
                    return io
                }
                switch io {
                case .bytes:
                    if let outcome = process(atEOF: false) { return finish(outcome) }
                case .wantRead, .wantWrite: return
                case .closed: return finish(process(atEOF: true) ?? .failed("the response ended early"))
                case .failed(let why): return finish(.failed(why))
                }
            }
        }
    }

    /// Parses what has arrived; nil while more is needed.
    private func process(atEOF: Bool) -> Outcome? {
        // Interim responses and chunk framing are bounded one by one; this bounds them all together.
        guard received.count <= Self.maxBodyBytes + 2 * Self.headLimits.maxHeadBytes + 64 << 10 else {
            return .failed("the response is larger than 1 MiB")
        }
        if !headDone {
            let status = received.withUnsafeBytes { raw in
                parser.parse(UnsafeRawBufferPointer(rebasing: raw[headStart...]), requestMethod: .get, into: &head)
            }
            switch status {
            case .needMore:
                return atEOF ? .failed("the response head is incomplete") : nil
            case .invalid(let e):
                return .failed("invalid response head: \(e.message)")
            case .complete:
                if head.isInformational {
                    headStart += head.headLength
                    parser.reset()
                    return process(atEOF: atEOF)
                }
                headDone = true
                bodyStart = headStart + head.headLength
                maxAge = readMaxAge()
            }
        }
        switch head.framing {
        case .none:
            return .response(status: head.status, maxAge: maxAge, body: [])
        case .contentLength(let n):
            guard n <= Self.maxBodyBytes else { return .failed("the response body is larger than 1 MiB") }
            if received.count - bodyStart >= n {
                return .response(status: head.status, maxAge: maxAge, body: Array(received[bodyStart..<(bodyStart + n)]))
            }
            return atEOF ? .failed("the response body ended early") : nil
        case .untilClose:
            guard received.count - bodyStart <= Self.maxBodyBytes else { return .failed("the response body is larger than 1 MiB") }
            return atEOF ? .response(status: head.status, maxAge: maxAge, body: Array(received[bodyStart...])) : nil
        case .chunked:
            while bodyStart < received.count {
                let (event, consumed) = received.withUnsafeBytes { raw in
                    chunked.next(UnsafeRawBufferPointer(rebasing: raw[bodyStart...]))
                }
                switch event {
                case .data(let range):
                    body.append(contentsOf: received[(bodyStart + range.lowerBound)..<(bodyStart + range.upperBound)])
                case .needMore:
                    break
                case .end:
                    return .response(status: head.status, maxAge: maxAge, body: body)
                case .invalid(let e):
                    return .failed(e.status == 413 ? "the response body is larger than 1 MiB" : "invalid chunked body: \(e.message)")
                }
                bodyStart += consumed
                if consumed == 0 { break }
            }
            return atEOF ? .failed("the chunked response body ended early") : nil
        }
    }

    private func readMaxAge() -> Int? {
        received.withUnsafeBytes { raw in
            let message = UnsafeRawBufferPointer(rebasing: raw[headStart...])
            var result: Int? = nil
            for field in head.headers where field.nameEquals("cache-control", in: message) {
                if let seconds = CacheControl.maxAge(UnsafeRawBufferPointer(rebasing: message[field.value])) {
                    result = min(result ?? Int.max, seconds)
                }
            }
            return result
        }
    }

    private func finish(_ outcome: Outcome) {
        guard phase != .done else { return }
        phase = .done
        loop.deregister(fd)
        close(fd)
        received = []
        body = []
        completion(outcome)
    }
}
