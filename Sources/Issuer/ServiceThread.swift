import Glibc

/// Starts a joinable pthread (Foundation's `Thread` cannot be joined, and this module must not depend on EventLoop).
enum ServiceThread {
    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Runs `body` on a new thread. The body is `sending`: it may own a thread-confined value such as a `Database`.
    static func start(_ body: sending @escaping () -> Void) -> pthread_t {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { argument in
            guard let argument else { return nil }
            Unmanaged<Box>.fromOpaque(argument).takeRetainedValue().body()
            return nil
        }, box)
        guard status == 0 else {
            // Only at startup, when the process is out of threads or memory: it cannot serve anyway.
            preconditionFailure("pthread_create failed with error \(status)")
        }
        return thread
    }

    static func join(_ thread: pthread_t) {
        pthread_join(thread, nil)
    }
}
