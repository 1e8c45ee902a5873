import CShim
import EventLoop
import Glibc
import Issuer
import KeyFetch
import Store
import Synchronization

/// The running gateway: one worker thread per configured worker, each with its own epoll loop and its own
/// SO_REUSEPORT listener per address. `start()` binds every socket before it returns, so connections made
/// right after it are queued by the kernel even before the workers are scheduled.
public final class Gateway: @unchecked Sendable {
    /// The snapshot the workers serve; a reload replaces it.
    public var snapshot: Snapshot { control.withLock { $0.snapshot } }
    let shared = SharedState()
    private var threads: [WorkerThread] = []
    private let wakeFDs: Mutex<[Int32]> = Mutex([])
    private let control: Mutex<Control>
    /// The worker count is fixed at start (threads and their listeners); a reload keeps it.
    private let workerCount: Int

    private struct Control {
        var snapshot: Snapshot
        var services = Services()
        /// The key fetcher that runs (a reload that keeps every remote issuer keeps it).
        var fetcher: KeyFetcher?
        /// Each listen address as configured, with what it resolved to (port 0 → the ephemeral port).
        var bound: [(configured: String, actual: SocketAddress)] = []
    }

    public init(snapshot: Snapshot) {
        control = Mutex(Control(snapshot: snapshot))
        workerCount = snapshot.workers
        cshim_ignore_sigpipe()
    }

    /// The addresses the listeners are bound to, in config order.
    public var boundAddresses: [SocketAddress] { control.withLock { $0.bound.map(\.actual) } }

    /// Opens the store, starts the issuer's threads and the revocation poller, binds the listeners and starts
    /// the workers. Port 0 in a listen address picks an ephemeral port that every worker then shares;
    /// `boundAddresses` tells which.
    public func start(pinWorkersToCPUs: Bool = false) throws {
        let snap = snapshot
        let services = try Self.startServices(for: snap)
        control.withLock { $0.services = services }
        do {
            // Non-blocking: the workers start at once, and an issuer's routes answer 503 keys_unavailable until
            // its first keys arrive.
            try snap.keyFetcher?.start()
            control.withLock { $0.fetcher = snap.keyFetcher }
            try startWorkers(snap, services: services, pinWorkersToCPUs: pinWorkersToCPUs)
        } catch {
            snap.keyFetcher?.stop()
            Self.stop(services)
            control.withLock { c in
                c.services = Services()
                c.fetcher = nil
            }
            throw error
        }
    }

    /// The fetcher that must run for `new`: the current one while every remote issuer is unchanged (same key
    /// sets, same plan), else `new`'s own, started. Nil when nothing changed.
    private static func replacementFetcher(current: KeyFetcher?, new: KeyFetcher?) -> KeyFetcher?? {
        let same: Bool
        switch (current, new) {
        case (nil, nil): same = true
        case (let a?, let b?):
            same = a.sources.count == b.sources.count
                && zip(a.sources, b.sources).allSatisfy { $0.keySet === $1.keySet && $0.location == $1.location && $0.settings == $1.settings }
        default: same = false
        }
        if same { return .none }
        return .some(new)
    }

    private static func startServices(for snapshot: Snapshot) throws(GatewayStartError) -> Services {
        guard let store = snapshot.store else { return Services() }
        var services = Services()
        do throws(StoreError) {
            let mirror = try RevocationMirror(databasePath: store.path, pollInterval: store.pollInterval, pruneInterval: store.pruneInterval)
            mirror.start()
            services.revocations = mirror
            if let issuer = snapshot.issuer {
                services.issuer = try IssuerService(settings: issuer.settings, revocations: mirror)
            }
            return services
        } catch {
            stop(services)
            throw GatewayStartError(description: "store \(store.path): \(error)")
        }
    }

    private static func stop(_ services: Services) {
        services.issuer?.shutdown()
        services.revocations?.stop()
    }

    /// One listening socket per worker for `address`; all or none.
    private func bindPerWorker(_ address: SocketAddress) throws(SystemError) -> (fds: [Int32], actual: SocketAddress) {
        var fds: [Int32] = []
        var actual = address
        for w in 0..<workerCount {
            let fd: Int32
            do {
                fd = try Socket.listen(actual)
            } catch {
                for f in fds { close(f) }
                throw error
            }
            if w == 0, actual.port == 0, let resolved = Socket.localAddress(fd) { actual = resolved }
            fds.append(fd)
        }
        return (fds, actual)
    }

    private func startWorkers(_ snapshot: Snapshot, services: Services, pinWorkersToCPUs: Bool) throws(SystemError) {
        var perWorker: [[(address: String, fd: Int32)]] = Array(repeating: [], count: workerCount)
        var bound: [(configured: String, actual: SocketAddress)] = []
        for address in snapshot.listen {
            let result: (fds: [Int32], actual: SocketAddress)
            do {
                result = try bindPerWorker(address)
            } catch {
                for fds in perWorker { for f in fds { close(f.fd) } }
                throw error
            }
            for w in 0..<workerCount { perWorker[w].append((address.description, result.fds[w])) }
            bound.append((address.description, result.actual))
        }
        control.withLock { $0.bound = bound }
        let cpus = CPU.available
        for w in 0..<workerCount {
            let t = WorkerThread()
            let fds = perWorker[w]
            let shared = self.shared
            let ready = Ready()
            try t.start(name: "gw-worker-\(w)", cpu: pinWorkersToCPUs ? w % max(cpus, 1) : nil) { [self] in
                let worker: GatewayWorker
                do {
                    worker = try GatewayWorker(id: w, snapshot: snapshot, shared: shared, services: services, listenFDs: fds)
                } catch {
                    for f in fds { close(f.fd) }
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

    // MARK: reload

    /// What a reload changed.
    public struct ReloadOutcome: Sendable, CustomStringConvertible {
        public var routes: Int
        public var addedListeners: [String]
        public var removedListeners: [String]
        public var servicesRestarted: Bool
        public var issuersKept: Bool
        public var description: String {
            "routes \(routes), listeners +\(addedListeners) -\(removedListeners), services \(servicesRestarted ? "restarted" : "kept"), token caches \(issuersKept ? "kept" : "reset")"
        }
    }

    /// Serves `new` from now on, without dropping a connection: the workers adopt it between loop iterations
    /// (a request admitted before keeps its route and finishes as it began), listeners for new addresses are
    /// bound first and dropped addresses stop accepting, and the store's services restart only if their
    /// section changed. On an error nothing changes. `new` must come from `SnapshotBuilder.build(_:previous:)`
    /// with the current snapshot, so that what survives (rate-limit buckets, token caches) is decided there.
    public func reload(to new: Snapshot) throws(GatewayStartError) -> ReloadOutcome {
        try control.withLock { (c: inout Control) throws(GatewayStartError) -> ReloadOutcome in
            guard !shared.draining.load(ordering: .relaxed) else { throw GatewayStartError(description: "the gateway is shutting down") }
            let old = c.snapshot
            let snap = new.workers == workerCount ? new : new.with(workers: workerCount)
            let servicesChanged = snap.reloadState.servicesSource != old.reloadState.servicesSource
            let fetcherChange = Self.replacementFetcher(current: c.fetcher, new: snap.keyFetcher)
            let services = servicesChanged ? try Self.startServices(for: snap) : c.services

            var adds: [[(address: String, fd: Int32)]] = Array(repeating: [], count: workerCount)
            var bound: [(configured: String, actual: SocketAddress)] = []
            var added: [String] = []
            for address in snap.listen {
                let text = address.description
                if let existing = c.bound.first(where: { $0.configured == text }) {
                    bound.append(existing)
                    continue
                }
                do {
                    let result = try bindPerWorker(address)
                    for w in 0..<workerCount { adds[w].append((text, result.fds[w])) }
                    bound.append((text, result.actual))
                    added.append(text)
                } catch {
                    for list in adds { for a in list { close(a.fd) } }
                    if servicesChanged { Self.stop(services) }
                    throw GatewayStartError(description: "listen \(text): \(error)")
                }
            }
            let removed = c.bound.map(\.configured).filter { a in !bound.contains { $0.configured == a } }

            if case .some(let replacement) = fetcherChange {
                // The old fetcher stops first: stopping detaches the wake handlers of the key sets it served.
                c.fetcher?.stop()
                c.fetcher = nil
                do {
                    try replacement?.start()
                    c.fetcher = replacement
                } catch {
                    Lifecycle.log("keys_fetcher_failed", ["error": "\(error)"], level: .error)
                }
            }
            let plans = (0..<workerCount).map { w in
                WorkerPlan(snapshot: snap, addListeners: adds[w], removeAddresses: removed, services: servicesChanged ? services : nil)
            }
            let acksBefore = shared.reloadAcks.load(ordering: .acquiring)
            shared.plans.withLock { table in
                for (w, plan) in plans.enumerated() {
                    // A worker that has not taken its previous plan yet (it was busy past the wait below) gets
                    // both: the listeners and services of the first must not be lost.
                    if let pending = table[w] {
                        // Listeners the first plan added and this one removes were never used: closed here.
                        let dropped = pending.addListeners.filter { plan.removeAddresses.contains($0.address) }
                        for d in dropped { close(d.fd) }
                        let kept = pending.addListeners.filter { !plan.removeAddresses.contains($0.address) }
                        table[w] = WorkerPlan(
                            snapshot: plan.snapshot, addListeners: kept + plan.addListeners,
                            removeAddresses: pending.removeAddresses + plan.removeAddresses,
                            services: plan.services ?? pending.services)
                    } else {
                        table[w] = plan
                    }
                }
            }
            shared.reloadVersion.add(1, ordering: .releasing)
            for fd in wakeFDs.withLock({ $0 }) { EventLoop.wake(fd: fd) }
            // Old services stop only once every worker has let go of them (bounded: a worker stuck for 5 s
            // is not waited for; its plan is applied when it next runs). The running workers are counted by
            // their wake descriptors, under their lock: `threads` belongs to start/wait, and `wait()` empties it
            // on the drain thread while an admin POST /reload can still be here (a data race, seen by TSan). A
            // worker that has stopped never acknowledges, and no longer uses the old services either.
            let deadline = Clock.monotonicNanos() + 5_000_000_000
            while shared.reloadAcks.load(ordering: .acquiring) - acksBefore < wakeFDs.withLock({ $0.count })
                && Clock.monotonicNanos() < deadline
            {
                usleep(500)
            }
            if servicesChanged { Self.stop(c.services) }
            c.snapshot = snap
            c.services = services
            c.bound = bound
            return ReloadOutcome(
                routes: snap.routes.routes.count, addedListeners: added, removedListeners: removed,
                servicesRestarted: servicesChanged, issuersKept: snap.reloadState.issuersID == old.reloadState.issuersID)
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
        // A plan a worker never took (a reload that overlapped the shutdown) still owns its new listeners.
        shared.plans.withLock { table in
            for plan in table.values { for l in plan.addListeners { close(l.fd) } }
            table.removeAll()
        }
        let (services, fetcher) = control.withLock { c in
            let taken = (c.services, c.fetcher)
            c.services = Services()
            c.fetcher = nil
            return taken
        }
        fetcher?.stop()
        Self.stop(services)
    }

    /// Installs the SIGINT/SIGTERM/SIGHUP handlers and returns the descriptor they report on.
    public static func terminationSignals() -> Int32 {
        cshim_termination_signal_fd()
    }

    /// Waits for SIGINT or SIGTERM reported on `signalFD`, then drains and returns. A second signal during
    /// the drain ends it at once. SIGHUP calls `onReload` (on this thread) and keeps waiting.
    public func runUntilSignal(signalFD: Int32, onReload: (() -> Void)? = nil) {
        waitForTermination(signalFD, onReload: onReload)
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

    private func waitForTermination(_ fd: Int32, onReload: (() -> Void)?) {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            if poll(&pfd, 1, -1) < 0 && errno != EINTR { return }
            var sig = Self.readSignal(fd)
            while sig != 0 {
                if sig == SIGINT || sig == SIGTERM { return }
                if sig == SIGHUP { onReload?() }
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
