import EventLoop
import Glibc
import HTTP1

/// One admin request: read the head (strict HTTP/1.1 parser), answer, close. The whole exchange must finish
/// within `AdminConnection.timeout`, so an idle or trickling client cannot hold a descriptor.
final class AdminConnection: EventHandler {
    static let timeout: UInt64 = 10_000_000_000
    static let limits = HeadLimits(maxTargetBytes: 1024, maxHeadBytes: 8192, maxHeaderCount: 64)

    let fd: Int32
    unowned let context: AdminContext
    private var parser = RequestHeadParser(limits: AdminConnection.limits)
    private var head = RequestHead()
    private var input: [UInt8] = []
    private var output: [UInt8] = []
    private var written = 0
    private var answered = false
    private var closed = false
    private var deadline: UInt64 = .max

    init(fd: Int32, context: AdminContext) {
        self.fd = fd
        self.context = context
    }

    func start() {
        deadline = context.loop.now + Self.timeout
        context.loop.schedule(fd, at: deadline)
        handleEvent(IOEvents.readable)
    }

    func handleEvent(_ events: UInt32) {
        if !answered { readHead() }
        if answered && !closed { flush() }
    }

    func handleTimer(now: UInt64) {
        if now >= deadline { close() } else { context.loop.schedule(fd, at: deadline) }
    }

    private func readHead() {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !answered && !closed {
            let r = chunk.withUnsafeMutableBytes { Socket.read(fd, into: $0) }
            switch r {
            case .bytes(let n):
                input.append(contentsOf: chunk[0..<n])
                parse()
            case .wouldBlock:
                return
            case .closed, .failed:
                close()
                return
            }
        }
    }

    private func parse() {
        let status = input.withUnsafeBytes { parser.parse($0, into: &head) }
        switch status {
        case .needMore:
            return
        case .invalid(let e):
            answer(.error(e.status, e.code, e.message), headRequest: false)
        case .complete:
            if context.checkHost {
                let named = input.withUnsafeBytes { b in
                    head.hostIndex >= 0 && AdminServer.isLoopbackHost(UnsafeRawBufferPointer(rebasing: b[head.headers[head.hostIndex].value]))
                }
                guard named else {
                    answer(.error(421, "misdirected_request", "The admin listener answers requests to localhost or a loopback address only."), headRequest: false)
                    return
                }
            }
            let (path, fromBrowser) = input.withUnsafeBytes { b in
                let target = b[head.target]
                let end = target.firstIndex(of: UInt8(ascii: "?")) ?? target.endIndex
                let path = String(decoding: b[target.startIndex..<end], as: UTF8.self)
                return (path, head.headers.contains { $0.nameEquals("origin", in: b) })
            }
            let response = context.responder.respond(method: head.method, path: path, fromBrowser: fromBrowser)
            answer(response, headRequest: head.method == .head)
        }
    }

    private func answer(_ r: AdminResponse, headRequest: Bool) {
        output = r.bytes(headRequest: headRequest)
        answered = true
    }

    private func flush() {
        while written < output.count {
            let r = output.withUnsafeBytes { Socket.write(fd, from: UnsafeRawBufferPointer(rebasing: $0[written...])) }
            switch r {
            case .bytes(let n):
                written += n
            case .wouldBlock:
                return
            case .closed, .failed:
                close()
                return
            }
        }
        Socket.shutdownWrite(fd)
        close()
    }

    func close() {
        guard !closed else { return }
        closed = true
        context.connections.removeValue(forKey: fd)
        context.loop.deregister(fd)
        Glibc.close(fd)
    }
}
