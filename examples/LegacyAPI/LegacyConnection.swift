import EventLoop
import Glibc
import HTTP1

/// One client connection on a worker's loop: reads until the socket would block (the loop is edge-triggered),
/// answers every complete request in order (pipelining), and writes as much as the socket takes.
final class LegacyConnection: EventHandler {
    static let maxBodyBytes = 1 << 20
    /// Stop parsing pipelined requests while this much output waits for a slow reader.
    static let maxPendingOutput = 256 * 1024
    static let lingerNanos: UInt64 = 2_000_000_000

    private enum Phase {
        case head
        case fixedBody(remaining: Int)
        case chunkedBody
        /// No further requests: the last response closes the connection.
        case closing
        /// Our side is shut down; reading and discarding until the client closes, so unread input cannot turn our
        /// final response into an RST.
        case lingering
        case closed
    }

    let fd: Int32
    private unowned let worker: LegacyWorker
    private let input = ByteBuffer(capacity: 16 * 1024)
    private var output: [UInt8] = []
    private var outputSent = 0
    private var phase = Phase.head
    private var parser = RequestHeadParser(limits: HeadLimits())
    private var head = RequestHead()
    private var decoder = ChunkedDecoder(maxBodyBytes: LegacyConnection.maxBodyBytes)
    private var request = LegacyRequest(method: "", target: "", headers: [])
    private var keepAlive = true
    private var peerClosed = false

    init(fd: Int32, worker: LegacyWorker) {
        self.fd = fd
        self.worker = worker
    }

    func handleEvent(_ events: UInt32) {
        if events & IOEvents.error != 0 {
            close()
            return
        }
        drive()
    }

    func handleTimer(now: UInt64) {
        if case .lingering = phase { close() }
    }

    func close() {
        if case .closed = phase { return }
        phase = .closed
        worker.remove(self)
    }

    private func drive() {
        while true {
            guard readAvailable() else {
                close()
                return
            }
            let inputWasFull = input.writableCount == 0
            let progressed = process()
            flush()
            if case .closed = phase { return }
            if !(inputWasFull && progressed) { break }
        }
        if peerClosed {
            // A half-closed client still gets the answers to what it sent; then we are done.
            if case .lingering = phase {
                close()
            } else if outputSent == output.count {
                close()
            }
        }
    }

    /// Reads until the socket would block, the peer closes or the buffer is full; false on a socket error.
    private func readAvailable() -> Bool {
        while !peerClosed {
            if input.writableCount == 0 {
                input.compact()
                if input.writableCount == 0 {
                    // Heads are bounded by the parser's limit, bodies drain on every pass: 128 KiB is enough.
                    guard input.capacity < 128 * 1024 else { return true }
                    input.grow(to: input.capacity * 2)
                }
            }
            switch Socket.read(fd, into: input.writable) {
            case .bytes(let n): input.writeIndex += n
            case .wouldBlock: return true
            case .closed: peerClosed = true
            case .failed: return false
            }
        }
        return true
    }

    /// Handles buffered input; true when any of it was consumed.
    private func processOnce() -> Bool {
        switch phase {
        case .head:
            return parseHead()
        case .fixedBody(let remaining):
            let take = min(remaining, input.readableCount)
            guard take > 0 else { return false }
            request.body.append(contentsOf: UnsafeRawBufferPointer(rebasing: input.readable[0..<take]))
            input.consume(take)
            if take == remaining {
                respond()
            } else {
                phase = .fixedBody(remaining: remaining - take)
            }
            return true
        case .chunkedBody:
            guard !input.isEmpty else { return false }
            let (event, consumed) = decoder.next(input.readable)
            switch event {
            case .data(let range):
                request.body.append(contentsOf: UnsafeRawBufferPointer(rebasing: input.readable[range]))
            case .needMore:
                break
            case .end:
                input.consume(consumed)
                respond()
                return true
            case .invalid(let error):
                reject(error)
                return true
            }
            input.consume(consumed)
            return consumed > 0
        case .closing, .closed:
            return false
        case .lingering:
            let had = !input.isEmpty
            input.clear()
            return had
        }
    }

    private func process() -> Bool {
        var progressed = false
        while output.count - outputSent < Self.maxPendingOutput, processOnce() { progressed = true }
        return progressed
    }

    private func parseHead() -> Bool {
        guard !input.isEmpty else { return false }
        let status = parser.parse(input.readable, into: &head)
        switch status {
        case .needMore:
            return false
        case .invalid(let error):
            reject(error)
            return true
        case .complete:
            break
        }
        let p = input.readable
        func text(_ r: Range<Int>) -> String { String(decoding: UnsafeRawBufferPointer(rebasing: p[r]), as: UTF8.self) }
        request = LegacyRequest(
            method: text(head.methodRange), target: text(head.target),
            headers: head.headers.map { (name: text($0.name), value: text($0.value)) })
        keepAlive = head.keepAlive
        input.consume(head.headLength)
        parser.reset()
        switch head.framing {
        case .none:
            respond()
        case .contentLength(let n):
            guard n <= Self.maxBodyBytes else {
                reject(HTTPError(status: 413, code: "body_too_large", message: "The body exceeds 1 MiB."))
                return true
            }
            if head.expectContinue, n > 0 { output.append(contentsOf: "HTTP/1.1 100 Continue\r\n\r\n".utf8) }
            if n == 0 { respond() } else { phase = .fixedBody(remaining: n) }
        case .chunked:
            if head.expectContinue { output.append(contentsOf: "HTTP/1.1 100 Continue\r\n\r\n".utf8) }
            decoder.reset()
            phase = .chunkedBody
        }
        return true
    }

    private func respond() {
        let response = LegacyRoutes.respond(to: request, staticFiles: worker.staticFiles)
        response.serialize(into: &output, omitBody: request.method == "HEAD", close: !keepAlive)
        request.body = []
        phase = keepAlive ? .head : .closing
    }

    /// A malformed or oversized request: answer once and close, since the rest of the stream cannot be framed.
    private func reject(_ error: HTTPError) {
        let response = LegacyResponse.error(error.status, error.code, error.message)
        response.serialize(into: &output, omitBody: false, close: true)
        keepAlive = false
        phase = .closing
        input.clear()
    }

    private func flush() {
        while outputSent < output.count {
            let result = output.withUnsafeBytes { Socket.write(fd, from: UnsafeRawBufferPointer(rebasing: $0[outputSent...])) }
            switch result {
            case .bytes(let n): outputSent += n
            case .wouldBlock: return
            case .closed, .failed:
                close()
                return
            }
        }
        output.removeAll(keepingCapacity: output.capacity <= 64 * 1024)
        outputSent = 0
        if case .closing = phase {
            Socket.shutdownWrite(fd)
            phase = .lingering
            worker.loop.schedule(fd, at: worker.loop.now + Self.lingerNanos)
        }
    }
}
