import EventLoop
import Glibc
import HTTP1

/// One client connection of a worker: keep-alive, one request in flight, reconnects when the server closes.
/// Its buffers live as long as it does and are reused for every request.
final class LoadConnection: EventHandler {
    private enum State {
        case disconnected, connecting, open
    }

    private enum Phase {
        case idle
        case head
        case fixedBody(remaining: Int)
        case chunkedBody
        case untilClose
    }

    /// Response heads may be up to the parser's 64 KiB; the buffer grows to hold one and no further.
    static let maxInputBytes = 128 * 1024

    /// The worker owns its connections and closes them all before it goes away, so the reference cannot dangle;
    /// `unowned(unsafe)` saves the strong retain that checked `unowned` costs on every access in the request path.
    private unowned(unsafe) let worker: LoadWorker
    private(set) var fd: Int32 = -1
    private var state = State.disconnected
    private var phase = Phase.idle
    private let input = ByteBuffer(capacity: 16 * 1024)
    private let output: ByteBuffer
    private var parser = ResponseHeadParser(limits: HeadLimits())
    private var head = ResponseHead()
    private var decoder = ChunkedDecoder(maxBodyBytes: nil)
    private let method: HTTPMethod
    private var tokenClass = TokenClass.unchecked
    /// When the request in flight was sent (closed loop) or meant to be sent (open loop).
    private var startedAt: UInt64 = 0
    private var status = 0
    private var keepAlive = true
    private var deadline: UInt64 = 0
    private var timerQueued = false

    init(worker: LoadWorker, requestBytes: Int, isHead: Bool) {
        self.worker = worker
        output = ByteBuffer(capacity: max(requestBytes, 1024))
        method = isHead ? .head : .get
    }

    var isIdle: Bool {
        if case .open = state, case .idle = phase { return true }
        return false
    }

    /// Starts a non-blocking connect; failures go to the worker, which retries after a pause.
    func connect() {
        switch Socket.connect(worker.address) {
        case .connected(let newFD), .inProgress(let newFD):
            do {
                try worker.loop.register(newFD, self)
            } catch {
                Glibc.close(newFD)
                worker.connectFailed(self)
                return
            }
            fd = newFD
            state = .connecting
            timerQueued = false
            arm(worker.loop.now &+ worker.timeoutNanos)
        case .failed:
            worker.connectFailed(self)
        }
    }

    /// Sends the next request of the worker's cursor; `start` is the time its latency counts from.
    @inline(__always)
    func send(startedAt start: UInt64) {
        output.clear()
        tokenClass = worker.catalog.write(&worker.cursor, into: output)
        startedAt = start
        phase = .head
        arm(worker.loop.now &+ worker.timeoutNanos)
        flush()
    }

    func handleEvent(_ events: UInt32) {
        switch state {
        case .disconnected:
            return
        case .connecting:
            let err = Socket.pendingError(fd)
            if err != 0 || events & (IOEvents.error | IOEvents.hangup) != 0 {
                teardown()
                worker.connectFailed(self)
                return
            }
            guard events & IOEvents.writable != 0 else { return }
            state = .open
            worker.connectionIdle(self)
        case .open:
            if !output.isEmpty && events & IOEvents.writable != 0 {
                flush()
                guard case .open = state else { return }
            }
            let hungUp = events & (IOEvents.hangup | IOEvents.readHangup | IOEvents.error) != 0
            if events & IOEvents.readable != 0 || hungUp { readAvailable(drain: hungUp) }
        }
    }

    func handleTimer(now: UInt64) {
        timerQueued = false
        switch state {
        case .disconnected:
            return
        case .connecting:
            guard now >= deadline else { return arm(deadline) }
            teardown()
            worker.connectFailed(self)
        case .open:
            if case .idle = phase { return }
            guard now >= deadline else { return arm(deadline) }
            worker.counts.timeouts &+= 1
            reconnect()
        }
    }

    /// Deadlines only move later on one connection, so one queued timer is re-armed when it fires early instead
    /// of queueing a timer per request.
    private func arm(_ newDeadline: UInt64) {
        deadline = newDeadline
        if !timerQueued {
            timerQueued = true
            worker.loop.schedule(fd, at: newDeadline)
        }
    }

    private func flush() {
        while !output.isEmpty {
            switch Socket.write(fd, from: output.readable) {
            case .bytes(let n):
                output.consume(n)
                worker.counts.bytesWritten &+= UInt64(n)
            case .wouldBlock:
                return
            case .closed, .failed:
                worker.counts.ioErrors &+= 1
                reconnect()
                return
            }
        }
    }

    /// Reads what the socket has. After a read shorter than the space offered the socket is empty (TCP hands over
    /// everything queued), and edge-triggered epoll reports the next arrival, so the usual extra read that only
    /// returns EAGAIN is skipped, except when a hangup was reported and the close must be seen now.
    private func readAvailable(drain: Bool) {
        while true {
            if input.writableCount == 0 {
                input.compact()
                if input.writableCount == 0 {
                    guard input.capacity < Self.maxInputBytes else {
                        worker.counts.invalidResponses &+= 1
                        return reconnect()
                    }
                    input.grow(to: input.capacity * 2)
                }
            }
            let offered = input.writableCount
            switch Socket.read(fd, into: input.writable) {
            case .bytes(let n):
                input.writeIndex += n
                worker.counts.bytesRead &+= UInt64(n)
                guard process() else { return }
                if n < offered && !drain { return finishIfIdle() }
            case .wouldBlock:
                return finishIfIdle()
            case .closed:
                return peerClosed()
            case .failed:
                worker.counts.ioErrors &+= 1
                return reconnect()
            }
        }
    }

    private func finishIfIdle() {
        if case .idle = phase { worker.connectionIdle(self) }
    }

    private func peerClosed() {
        switch phase {
        case .untilClose:
            complete()
        case .idle:
            break
        default:
            worker.counts.ioErrors &+= 1
        }
        reconnect()
    }

    /// Consumes buffered input; false when the connection was closed for a bad response.
    private func process() -> Bool {
        while true {
            switch phase {
            case .idle:
                guard input.isEmpty else {
                    // Bytes nobody asked for: the connection is out of step with the server.
                    worker.counts.invalidResponses &+= 1
                    reconnect()
                    return false
                }
                return true
            case .head:
                guard !input.isEmpty else { return true }
                switch parser.parse(input.readable, requestMethod: method, into: &head) {
                case .needMore:
                    return true
                case .invalid:
                    worker.counts.invalidResponses &+= 1
                    reconnect()
                    return false
                case .complete:
                    break
                }
                input.consume(head.headLength)
                parser.reset()
                if head.isInformational { continue }
                status = head.status
                keepAlive = head.keepAlive
                switch head.framing {
                case .none, .contentLength(0):
                    complete()
                    if !keepAlive { return closeAfterResponse() }
                case .contentLength(let n):
                    phase = .fixedBody(remaining: n)
                case .chunked:
                    decoder.reset()
                    phase = .chunkedBody
                case .untilClose:
                    phase = .untilClose
                }
            case .fixedBody(let remaining):
                let take = min(remaining, input.readableCount)
                guard take > 0 else { return true }
                input.consume(take)
                if take < remaining {
                    phase = .fixedBody(remaining: remaining - take)
                    return true
                }
                complete()
                if !keepAlive { return closeAfterResponse() }
            case .chunkedBody:
                guard !input.isEmpty else { return true }
                let (event, consumed) = decoder.next(input.readable)
                input.consume(consumed)
                switch event {
                case .data, .needMore:
                    continue
                case .end:
                    complete()
                    if !keepAlive { return closeAfterResponse() }
                case .invalid:
                    worker.counts.invalidResponses &+= 1
                    reconnect()
                    return false
                }
            case .untilClose:
                input.clear()
                return true
            }
        }
    }

    private func complete() {
        phase = .idle
        let now = worker.loop.now
        worker.counts.record(
            status: status, tokenClass: tokenClass, latencyNanos: now > startedAt ? now - startedAt : 0,
            allow429: worker.allow429)
    }

    private func closeAfterResponse() -> Bool {
        reconnect()
        return false
    }

    private func teardown() {
        guard fd >= 0 else { return }
        worker.loop.deregister(fd)
        Glibc.close(fd)
        fd = -1
        state = .disconnected
        phase = .idle
        input.clear()
        output.clear()
        parser.reset()
    }

    /// Drops the connection (and any request in flight) and dials again at once.
    private func reconnect() {
        teardown()
        worker.reconnect(self)
    }

    func close() { teardown() }
}
