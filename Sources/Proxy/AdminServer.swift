import EventLoop
import Glibc
import RateLimit

/// The admin listener: /healthz, /readyz, /metrics and POST /reload on its own thread and event loop, so a
/// slow scrape or a reload never delays a worker. One request per connection (answered with
/// `Connection: close`). `start()` binds before it returns; `stop()` closes everything and joins the thread.
///
/// `@unchecked Sendable`: `start` and `stop` are called by the owner, one after the other; the admin thread
/// touches only the loop handed to it and Sendable values.
public final class AdminServer: @unchecked Sendable {
    private let address: SocketAddress
    private let responder: AdminResponder
    private let thread = WorkerThread()
    private var listenFD: Int32 = -1
    private var stopPipe: (read: Int32, write: Int32) = (-1, -1)
    /// Admin connections open at once. Each holds a descriptor of the process the workers share, for up to
    /// `AdminConnection.timeout`: uncapped, a flood of idle ones could leave the workers unable to accept.
    public static let maxConnections = 64
    /// The address actually bound (port 0 in the configured address picks one).
    public private(set) var boundAddress: SocketAddress?

    public init(address: SocketAddress, metrics: GatewayMetrics, handlers: AdminHandlers) {
        self.address = address
        responder = AdminResponder(metrics: metrics, handlers: handlers)
    }

    public func start() throws(SystemError) {
        let fd = try Socket.listen(address, backlog: 64, reusePort: false)
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            let e = SystemError("pipe")
            Glibc.close(fd)
            throw e
        }
        for f in fds { _ = fcntl(f, F_SETFD, FD_CLOEXEC) }
        let loop: EventLoop
        let context: AdminContext
        do {
            loop = try EventLoop(id: -1)
            context = AdminContext(loop: loop, responder: responder, checkHost: Self.isLoopback(address))
            try loop.register(fd, AdminListener(fd: fd, context: context))
            try loop.register(fds[0], AdminStopper(fd: fds[0], context: context))
        } catch {
            Glibc.close(fd)
            Glibc.close(fds[0])
            Glibc.close(fds[1])
            throw error
        }
        listenFD = fd
        stopPipe = (fds[0], fds[1])
        boundAddress = Socket.localAddress(fd)
        // The loop and its context move to the admin thread here; this one never touches them again.
        let handoff = AdminHandoff(context: context)
        do {
            try thread.start(name: "gw-admin") { handoff.context.loop.run() }
        } catch {
            close()
            throw error
        }
    }

    /// Stops serving: open admin connections are closed, the thread is joined. Safe to call twice.
    public func stop() {
        guard stopPipe.write >= 0 else { return }
        var one: UInt8 = 1
        _ = write(stopPipe.write, &one, 1)
        thread.join()
        close()
    }

    private func close() {
        if listenFD >= 0 { Glibc.close(listenFD) }
        if stopPipe.read >= 0 { Glibc.close(stopPipe.read) }
        if stopPipe.write >= 0 { Glibc.close(stopPipe.write) }
        listenFD = -1
        stopPipe = (-1, -1)
    }
}

private final class AdminHandoff: @unchecked Sendable {
    let context: AdminContext
    init(context: AdminContext) { self.context = context }
}

/// The admin thread's state: its loop, the responder and the open connections.
final class AdminContext {
    let loop: EventLoop
    let responder: AdminResponder
    /// On a loopback address only requests naming a loopback host are answered: a web page whose DNS name
    /// an attacker re-points at 127.0.0.1 (DNS rebinding) sends its own name in Host.
    let checkHost: Bool
    var connections: [Int32: AdminConnection] = [:]

    init(loop: EventLoop, responder: AdminResponder, checkHost: Bool) {
        self.loop = loop
        self.responder = responder
        self.checkHost = checkHost
    }
}

extension AdminServer {
    static func isLoopback(_ address: SocketAddress) -> Bool {
        address.withAddressBytes { b in
            if b.count == 4 { return b[0] == 127 }
            return b.count == 16 && b[0..<15].allSatisfy { $0 == 0 } && b[15] == 1
        }
    }

    /// A Host value naming a loopback host: localhost, 127.x.x.x or [::1], with or without a port.
    static func isLoopbackHost(_ value: UnsafeRawBufferPointer) -> Bool {
        let text = String(decoding: value, as: UTF8.self).lowercased()
        let host: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return false }
            host = text[text.index(after: text.startIndex)..<close]
        } else {
            host = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        }
        return host == "localhost" || IPAddress(parsing: host)?.isLoopback == true
    }
}

private final class AdminListener: EventHandler {
    let fd: Int32
    unowned let context: AdminContext

    init(fd: Int32, context: AdminContext) {
        self.fd = fd
        self.context = context
    }

    func handleEvent(_ events: UInt32) {
        while true {
            switch Socket.accept(fd) {
            case .accepted(let cfd, _):
                if context.connections.count >= AdminServer.maxConnections {
                    Glibc.close(cfd)
                    continue
                }
                let c = AdminConnection(fd: cfd, context: context)
                do {
                    try context.loop.register(cfd, c)
                } catch {
                    Glibc.close(cfd)
                    continue
                }
                context.connections[cfd] = c
                c.start()
            case .wouldBlock:
                return
            case .failed(let e):
                if e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM { return }
            }
        }
    }

    func handleTimer(now: UInt64) {}
}

/// Readable when `stop()` wrote to the pipe: closes every connection and ends the loop.
private final class AdminStopper: EventHandler {
    let fd: Int32
    unowned let context: AdminContext

    init(fd: Int32, context: AdminContext) {
        self.fd = fd
        self.context = context
    }

    func handleEvent(_ events: UInt32) {
        for c in Array(context.connections.values) { c.close() }
        context.loop.deregister(fd)
        context.loop.stop()
    }

    func handleTimer(now: UInt64) {}
}
