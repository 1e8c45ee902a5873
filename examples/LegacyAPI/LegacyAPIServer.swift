import EventLoop
import Glibc
import Synchronization

/// The example legacy service: a small HTTP/1.1 JSON API on the project's own event loop and parser, with one loop
/// per thread and an SO_REUSEPORT listener each. It has no authentication: it trusts the gateway's X-Auth-* headers.
public final class LegacyAPIServer: Sendable {
    public let listenAddress: SocketAddress
    public let threads: Int
    /// The demo front-end's directory (index.html, app.js, style.css), or nil to serve no page.
    public let staticDirectory: String?

    private struct Running {
        /// The handoff stays referenced until stop() has joined, so each loop's wake descriptor outlives its last use.
        var workers: [(thread: WorkerThread, handoff: Handoff)] = []
        var started = false
        var stopped = false
    }
    private let state = Mutex(Running())

    /// A worker's loop and listener, created on the starting thread so that failures throw from `start()`, then
    /// moved to the worker thread, which is their only user from then on.
    private final class Handoff: @unchecked Sendable {
        let loop: EventLoop
        let listener: Int32
        init(loop: EventLoop, listener: Int32) {
            self.loop = loop
            self.listener = listener
        }
    }

    public init(listen: SocketAddress, threads: Int = 1, staticDirectory: String? = nil) {
        listenAddress = listen
        self.threads = max(1, threads)
        self.staticDirectory = staticDirectory
    }

    /// Where the demo page lives: `examples/web` under the current directory (`swift run` from the repository root),
    /// else beside these sources (a binary run from elsewhere on the machine that built it); nil when neither has it.
    public static func defaultStaticDirectory() -> String? {
        // #filePath here (not as a default argument, which the caller's file would fill) is
        // examples/LegacyAPI/LegacyAPIServer.swift, so ../web is examples/web.
        let sourceFile = #filePath
        var candidates = ["examples/web"]
        if let slash = sourceFile.lastIndex(of: "/") {
            candidates.append(String(sourceFile[..<slash]) + "/../web")
        }
        return candidates.first(where: StaticFiles.holdsPage)
    }

    /// Binds and starts the workers; returns the bound port (useful with port 0). Starts at most once.
    @discardableResult
    public func start() throws -> UInt16 {
        try state.withLock { running throws -> UInt16 in
            guard !running.started else { preconditionFailure("LegacyAPIServer.start() called twice") }
            running.started = true
            var handoffs: [Handoff] = []
            var address = listenAddress
            do {
                for i in 0..<threads {
                    let listener = try Socket.listen(address)
                    // Later listeners join the first one's port so port 0 still means one shared port.
                    if i == 0, let bound = Socket.localAddress(listener), let same = SocketAddress(host: bound.host, port: bound.port) {
                        address = same
                    }
                    handoffs.append(Handoff(loop: try EventLoop(id: i), listener: listener))
                }
            } catch {
                for h in handoffs { close(h.listener) }
                throw error
            }
            let files = staticDirectory.map { StaticFiles(directory: $0) }
            for (i, handoff) in handoffs.enumerated() {
                let thread = WorkerThread()
                do {
                    try thread.start(name: "legacy-\(i)") {
                        LegacyWorker(loop: handoff.loop, listener: handoff.listener, staticFiles: files).run()
                    }
                } catch {
                    for unstarted in handoffs[i...] { close(unstarted.listener) }
                    throw error
                }
                running.workers.append((thread, handoff))
            }
            return address.port
        }
    }

    /// Stops every worker (closing its connections) and joins the threads.
    public func stop() {
        let workers = state.withLock { running -> [(thread: WorkerThread, handoff: Handoff)] in
            guard !running.stopped else { return [] }
            running.stopped = true
            return running.workers
        }
        for worker in workers { EventLoop.wake(fd: worker.handoff.loop.wakeDescriptor) }
        for worker in workers { worker.thread.join() }
    }
}
