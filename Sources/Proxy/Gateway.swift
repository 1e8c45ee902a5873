import CShim
import EventLoop
import Glibc
import Issuer
import Store
import Synchronization

/// The running gateway: one worker thread per configured worker, each with its own epoll loop and its own
/// SO_REUSEPORT listener per address. `start()` binds every socket before it returns, so connections made
/// right after it are queued by the kernel even before the workers are scheduled.
public final class Gateway: @unchecked Sendable {
    public let snapshot: Snapshot
    private let shared = SharedState()
    private var threads: [WorkerThread] = []
    private let wakeFDs: Mutex<[Int32]> = Mutex([])
    public private(set) var boundAddresses: [SocketAddress] = []
    private var services = Services()

    public init(snapshot: Snapshot) {
        self.snapshot = snapshot
        cshim_ignore_sigpipe()
    }

    /// Opens the store, starts the issuer's threads and the revocation poller, binds the listeners and starts
    /// the workers. Port 0 in a listen address picks an ephemeral port that every worker then shares;
    /// `boundAddresses` tells which.
    public func start(pinWorkersToCPUs: Bool = false) throws {
        try startServices()
        do {
            try startWorkers(pinWorkersToCPUs: pinWorkersToCPUs)
        } catch {
            stopServices()
            throw error
        }
    }

    private func startServices() throws(GatewayStartError) {
        guard let store = snapshot.store else { return }
        do throws(StoreError) {
            let mirror = try RevocationMirror(databasePath: store.path, pollInterval: store.pollInterval, pruneInterval: store.pruneInterval)
            mirror.start()
            services.revocations = mirror
            if let issuer = snapshot.issuer {
                services.issuer = try IssuerService(settings: issuer.settings, revocations: mirror)
            }
        } catch {
            stopServices()
            throw GatewayStartError(description: "store \(store.path): \(error)")
        }
    }

    private func stopServices() {
        services.issuer?.shutdown()
        services.revocations?.stop()
        services = Services()
    }

    private func startWorkers(pinWorkersToCPUs: Bool) throws(SystemError) {
        var perWorker: [[Int32]] = Array(repeating: [], count: snapshot.workers)
        var bound: [SocketAddress] = []
        for var address in snapshot.listen {
            for w in 0..<snapshot.workers {
                let fd: Int32
                do {
                    fd = try Socket.listen(address)
                } catch {
                    for fds in perWorker { for f in fds { close(f) } }
                    throw error
                }
                if w == 0, address.port == 0, let actual = Socket.localAddress(fd) { address = actual }
                perWorker[w].append(fd)
            }
            bound.append(address)
        }
        boundAddresses = bound
        let cpus = CPU.available
        for w in 0..<snapshot.workers {
            let t = WorkerThread()
            let fds = perWorker[w]
            let snap = snapshot
            let shared = self.shared
            let services = self.services
            let ready = Ready()
            try t.start(name: "gw-worker-\(w)", cpu: pinWorkersToCPUs ? w % max(cpus, 1) : nil) { [self] in
                let worker: GatewayWorker
                do {
                    worker = try GatewayWorker(id: w, snapshot: snap, shared: shared, services: services, listenFDs: fds)
                } catch {
                    for f in fds { close(f) }
                    ready.signal(-1)
                    return
                }
                self.wakeFDs.withLock { $0.append(worker.loop.wakeDescriptor) }
                ready.signal(worker.loop.wakeDescriptor)
                worker.run()
                self.wakeFDs.withLock { $0.removeAll { $0 == worker.loop.wakeDescriptor } }
            }
            threads.append(t)
            if ready.wait() < 0 { throw SystemError("worker start", errno: EINVAL) }
        }
    }

    /// Starts draining: listeners close, idle connections close, in-flight requests finish (up to the
    /// drain timeout). `wait()` returns once every worker is done.
    public func shutdown() {
        shared.draining.store(true, ordering: .relaxed)
        for fd in wakeFDs.withLock({ $0 }) { EventLoop.wake(fd: fd) }
    }

    /// Waits for every worker, then stops the issuer (after the last answer it owed) and the poller.
    public func wait() {
        for t in threads { t.join() }
        threads.removeAll()
        stopServices()
    }

    /// Installs the SIGINT/SIGTERM/SIGHUP handlers and returns the descriptor they report on.
    public static func terminationSignals() -> Int32 {
        cshim_termination_signal_fd()
    }

    /// Waits for SIGINT or SIGTERM reported on `signalFD`, then drains and returns. A second signal during
    /// the drain ends it at once.
    public func runUntilSignal(signalFD: Int32) {
        waitForTermination(signalFD)
        shutdown()
        let drainer = WorkerThread()
        let done = Atomic<Bool>(false)
        do {
            try drainer.start(name: "gw-drain") { [self] in
                wait()
                done.store(true, ordering: .releasing)
            }
        } catch {
            wait()
            return
        }
        // The drain runs on its own thread so this one can notice a second signal.
        var pfd = pollfd(fd: signalFD, events: Int16(POLLIN), revents: 0)
        while !done.load(ordering: .acquiring) {
            if poll(&pfd, 1, 100) > 0, Self.readSignal(signalFD) != 0 { Glibc.exit(1) }
        }
        drainer.join()
    }

    private func waitForTermination(_ fd: Int32) {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            if poll(&pfd, 1, -1) < 0 && errno != EINTR { return }
            var sig = Self.readSignal(fd)
            while sig != 0 {
                if sig == SIGINT || sig == SIGTERM { return }
                sig = Self.readSignal(fd)
            }
        }
    }

    private static func readSignal(_ fd: Int32) -> Int32 {
        var b: UInt8 = 0
        return read(fd, &b, 1) == 1 ? Int32(b) : 0
    }

    public var requestsServed: Int { shared.requests.load(ordering: .relaxed) }
    public var openConnections: Int { shared.totalConnections.load(ordering: .relaxed) }
}

/// The store or the issuer could not start.
public struct GatewayStartError: Error, CustomStringConvertible {
    public var description: String
}

/// A one-shot handoff from a worker thread to the thread that started it.
private final class Ready: @unchecked Sendable {
    private var value: Int32 = 0
    private var done = false
    private var mutex = pthread_mutex_t()
    private var cond = pthread_cond_t()
    init() {
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&cond, nil)
    }
    deinit {
        pthread_mutex_destroy(&mutex)
        pthread_cond_destroy(&cond)
    }
    func signal(_ v: Int32) {
        pthread_mutex_lock(&mutex)
        value = v
        done = true
        pthread_cond_signal(&cond)
        pthread_mutex_unlock(&mutex)
    }
    func wait() -> Int32 {
        pthread_mutex_lock(&mutex)
        while !done { pthread_cond_wait(&cond, &mutex) }
        let v = value
        pthread_mutex_unlock(&mutex)
        return v
    }
}
