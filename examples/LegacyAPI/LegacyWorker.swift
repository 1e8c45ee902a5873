import EventLoop
import Glibc

/// One thread's share of the server: its own event loop, its own SO_REUSEPORT listener and the connections it
/// accepted. Nothing here is touched from another thread.
final class LegacyWorker: EventHandler {
    let loop: EventLoop
    let staticFiles: StaticFiles?
    private let listener: Int32
    private var connections: [Int32: LegacyConnection] = [:]

    init(loop: EventLoop, listener: Int32, staticFiles: StaticFiles?) {
        self.loop = loop
        self.listener = listener
        self.staticFiles = staticFiles
    }

    /// Runs until the server's stop() wakes the loop, then closes every connection and the listener.
    func run() {
        loop.onWake = { [unowned self] in loop.stop() }
        do {
            try loop.register(listener, self)
        } catch {
            Glibc.close(listener)
            return
        }
        loop.run()
        for connection in Array(connections.values) { connection.close() }
        loop.deregister(listener)
        Glibc.close(listener)
        loop.onWake = nil
    }

    func handleEvent(_ events: UInt32) {
        while true {
            switch Socket.accept(listener) {
            case .accepted(let fd, _):
                let connection = LegacyConnection(fd: fd, worker: self)
                do {
                    try loop.register(fd, connection)
                    connections[fd] = connection
                } catch {
                    Glibc.close(fd)
                }
            case .wouldBlock:
                return
            case .failed(let e):
                // Out of descriptors or a connection reset before accept: skip it, the listener stays usable.
                if e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM { return }
            }
        }
    }

    func handleTimer(now: UInt64) {}

    func remove(_ connection: LegacyConnection) {
        connections[connection.fd] = nil
        loop.deregister(connection.fd)
        Glibc.close(connection.fd)
    }
}
