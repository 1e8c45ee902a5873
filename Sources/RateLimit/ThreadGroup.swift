import Glibc

/// Joinable threads for the benchmark and the concurrency tests (Foundation's `Thread` is off limits and unjoinable).
enum ThreadGroup {
    /// Runs `body(0)` … `body(count − 1)` each on its own new thread and returns when all have finished.
    static func run(count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        var threads: [pthread_t] = []
        threads.reserveCapacity(count)
        for index in 0..<count {
            let job = Unmanaged.passRetained(Job(body: body, index: index)).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(
                &thread, nil,
                { raw in
                    guard let raw else { return nil }
                    let job = Unmanaged<Job>.fromOpaque(raw).takeRetainedValue()
                    job.body(job.index)
                    return nil
                }, job)
            guard status == 0 else { preconditionFailure("pthread_create failed: \(status)") }
            threads.append(thread)
        }
        for thread in threads {
            pthread_join(thread, nil)
        }
    }

    private final class Job: Sendable {
        let body: @Sendable (Int) -> Void
        let index: Int

        init(body: @escaping @Sendable (Int) -> Void, index: Int) {
            self.body = body
            self.index = index
        }
    }
}
