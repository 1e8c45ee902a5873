import CShim
import EventLoop
import Glibc
import Synchronization

/// What a worker shares with the thread that runs the load test: counters for the progress line, and the final
/// tallies. The worker writes, the runner reads.
final class WorkerProgress: Sendable {
    let completed = Atomic<UInt64>(0)
    let errors = Atomic<UInt64>(0)
    let latency = Mutex<LoadCounts?>(nil)
    let result = Mutex<LoadCounts?>(nil)
}

/// One thread of the load test: its own event loop and its share of the connections. In closed-loop mode a
/// connection sends its next request as soon as the previous answer is in; in open-loop mode requests become due
/// on the `RateSchedule` and go out on whichever connection is free, waiting (with the wait in their latency)
/// when none is.
final class LoadWorker: EventHandler {
    let loop: EventLoop
    let address: SocketAddress
    let catalog: RequestCatalog
    let timeoutNanos: UInt64
    let allow429: Bool
    var cursor: RequestCursor
    var counts = LoadCounts()

    private let connectionCount: Int
    private let schedule: RateSchedule?
    private let endAt: UInt64
    private let progress: WorkerProgress
    private var connections: [LoadConnection] = []
    private var idle: [LoadConnection] = []
    /// Connections whose connect failed wait here for the next tick, so a refused port is not dialled in a busy loop.
    private var backoff: [LoadConnection] = []
    private var sent = 0
    private var stopping = false
    private let tickFD: Int32
    private var tickQueued: UInt64 = 0
    private var nextPublish: UInt64
    private var nextSnapshot: UInt64

    static let publishInterval: UInt64 = 100_000_000
    static let snapshotInterval: UInt64 = 250_000_000
    static let reconnectPause: UInt64 = 10_000_000

    init(index: Int, plan: LoadPlan, loop: EventLoop, connections: Int, startAt: UInt64, progress: WorkerProgress) throws(SystemError) {
        self.loop = loop
        address = plan.target.address
        catalog = plan.catalog
        timeoutNanos = plan.timeout.nanoseconds
        allow429 = plan.allow429
        cursor = RequestCursor(start: index &* 7919)
        connectionCount = connections
        schedule = plan.rate.map { RateSchedule(ratePerSecond: $0, start: startAt, worker: index, workers: plan.threads) }
        endAt = startAt &+ plan.duration.nanoseconds
        self.progress = progress
        nextPublish = startAt &+ Self.publishInterval
        nextSnapshot = startAt &+ Self.snapshotInterval
        let fd = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        if fd < 0 { throw SystemError("eventfd") }
        tickFD = fd
    }

    deinit { Glibc.close(tickFD) }

    /// Runs until the end of the run, then leaves the final tallies in `progress.result`.
    func run() {
        do {
            try loop.register(tickFD, self)
        } catch {
            counts.connectErrors &+= UInt64(connectionCount)
            progress.result.withLock { $0 = counts }
            return
        }
        idle.reserveCapacity(connectionCount)
        for _ in 0..<connectionCount {
            let c = LoadConnection(worker: self, requestBytes: catalog.maxRequestBytes, isHead: catalog.isHead)
            connections.append(c)
        }
        for c in connections { c.connect() }
        tick(now: loop.now)
        loop.run()
        stopping = true
        for c in connections { c.close() }
        if let schedule {
            let due = schedule.dueCount(at: endAt &- 1)
            counts.unsent = UInt64(max(0, due - sent))
        }
        loop.deregister(tickFD)
        publish()
        progress.latency.withLock { $0 = counts }
        progress.result.withLock { $0 = counts }
    }

    // MARK: connection callbacks

    @inline(__always)
    func connectionIdle(_ c: LoadConnection) {
        guard !stopping else { return }
        guard let schedule else { return c.send(startedAt: loop.now) }
        if sent < schedule.dueCount(at: loop.now) {
            c.send(startedAt: schedule.intendedTime(sent))
            sent += 1
        } else {
            idle.append(c)
            armTick(min(schedule.intendedTime(sent), nextPublish))
        }
    }

    func connectFailed(_ c: LoadConnection) {
        counts.connectErrors &+= 1
        backoff.append(c)
        armTick(loop.now &+ Self.reconnectPause)
    }

    func reconnect(_ c: LoadConnection) {
        guard !stopping else { return }
        if let i = idle.firstIndex(where: { $0 === c }) { idle.remove(at: i) }
        c.connect()
    }

    // MARK: the tick

    func handleEvent(_ events: UInt32) {}

    func handleTimer(now: UInt64) {
        tickQueued = 0
        tick(now: now)
    }

    private func tick(now: UInt64) {
        if now >= endAt {
            stopping = true
            loop.stop()
            return
        }
        if !backoff.isEmpty {
            let waiting = backoff
            backoff.removeAll(keepingCapacity: true)
            for c in waiting { c.connect() }
        }
        if let schedule {
            let due = schedule.dueCount(at: now)
            while sent < due, let c = idle.popLast() {
                guard c.isIdle else { continue }
                c.send(startedAt: schedule.intendedTime(sent))
                sent += 1
            }
            if !idle.isEmpty { armTick(schedule.intendedTime(sent)) }
        }
        if now >= nextPublish {
            publish()
            nextPublish = now &+ Self.publishInterval
        }
        if now >= nextSnapshot {
            let snapshot = counts
            progress.latency.withLock { $0 = snapshot }
            nextSnapshot = now &+ Self.snapshotInterval
        }
        armTick(min(nextPublish, endAt))
    }

    /// One queued tick at a time, moved earlier when needed (stale later entries fire as harmless early ticks).
    private func armTick(_ at: UInt64) {
        if tickQueued != 0 && tickQueued <= at { return }
        tickQueued = at
        loop.schedule(tickFD, at: at)
    }

    private func publish() {
        progress.completed.store(counts.completed, ordering: .relaxed)
        progress.errors.store(counts.errors, ordering: .relaxed)
    }
}
