import EventLoop
import Glibc
import Histogram

/// Runs a load test: starts one worker thread per `plan.threads`, reports progress about once a second from the
/// calling thread, and returns the merged report when the duration is over. The CLI and the tests call this.
public enum LoadRunner {
    public static func run(_ plan: LoadPlan, progress onProgress: (LoadProgress) -> Void = { _ in }) throws(LoadError) -> LoadReport {
        let startAt = Clock.monotonicNanos()
        let endAt = startAt &+ plan.duration.nanoseconds
        var shared: [WorkerProgress] = []
        var threads: [WorkerThread] = []
        for index in 0..<plan.threads {
            let progress = WorkerProgress()
            let count = plan.connections(ofWorker: index)
            let thread = WorkerThread()
            do {
                try thread.start(name: "load-\(index)") {
                    do {
                        let loop = try EventLoop(id: index)
                        let worker = try LoadWorker(
                            index: index, plan: plan, loop: loop, connections: count, startAt: startAt, progress: progress)
                        worker.run()
                    } catch {
                        var failed = LoadCounts()
                        failed.connectErrors = UInt64(count)
                        progress.result.withLock { $0 = failed }
                    }
                }
            } catch {
                for t in threads { t.join() }
                throw LoadError("cannot start a load thread: \(error)")
            }
            shared.append(progress)
            threads.append(thread)
        }

        var lastCompleted: UInt64 = 0
        var lastAt = startAt
        var nextReport = startAt &+ 1_000_000_000
        while true {
            let now = Clock.monotonicNanos()
            if now >= endAt { break }
            sleep(until: min(nextReport, endAt))
            let at = Clock.monotonicNanos()
            guard at >= nextReport else { continue }
            nextReport &+= 1_000_000_000
            let completed = shared.reduce(0) { $0 + $1.completed.load(ordering: .relaxed) }
            let errors = shared.reduce(0) { $0 + $1.errors.load(ordering: .relaxed) }
            var latency = LoadCounts().latency
            for s in shared { s.latency.withLock { if let c = $0 { latency.add(c.latency) } } }
            let interval = Double(at - lastAt) / 1e9
            onProgress(
                LoadProgress(
                    elapsedSeconds: Double(at - startAt) / 1e9, completed: completed,
                    requestsPerSecond: interval > 0 ? Double(completed &- lastCompleted) / interval : 0, errors: errors,
                    p99Nanos: latency.valueAtPercentile(99)))
            lastCompleted = completed
            lastAt = at
        }
        for t in threads { t.join() }
        let elapsed = Double(Clock.monotonicNanos() - startAt) / 1e9
        var total = LoadCounts()
        for s in shared { s.result.withLock { if let c = $0 { total.merge(c) } } }
        return LoadReport(plan: plan, counts: total, elapsedSeconds: min(elapsed, Double(plan.duration.nanoseconds) / 1e9))
    }

    private static func sleep(until deadline: UInt64) {
        let now = Clock.monotonicNanos()
        guard deadline > now else { return }
        let wait = deadline - now
        var ts = timespec(tv_sec: Int(wait / 1_000_000_000), tv_nsec: Int(wait % 1_000_000_000))
        _ = nanosleep(&ts, nil)
    }
}
