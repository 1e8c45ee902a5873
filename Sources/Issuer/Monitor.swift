import Glibc

/// State guarded by a pthread mutex with a condition variable, for threads that must sleep until the state
/// changes (the job queue, the poller's stop flag). `Synchronization.Mutex` has no condition variable.
/// Unchecked Sendable: `state` is only touched with the mutex held.
final class Monitor<State: Sendable>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var state: State

    init(_ state: State) {
        self.state = state
        guard pthread_mutex_init(mutex, nil) == 0 else { preconditionFailure("pthread_mutex_init failed") }
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        // Timed waits measure against the monotonic clock, so a wall-clock step cannot stall or hurry the poller.
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        guard pthread_cond_init(condition, &attributes) == 0 else { preconditionFailure("pthread_cond_init failed") }
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Runs `body` with the lock held and wakes every waiter afterwards, so any change it made is seen.
    func update<R>(_ body: (inout State) -> R) -> R {
        pthread_mutex_lock(mutex)
        defer {
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
        return body(&state)
    }

    /// Blocks until `ready` holds, then runs `body` with the lock still held.
    func wait<R>(until ready: (State) -> Bool, then body: (inout State) -> R) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !ready(state) { pthread_cond_wait(condition, mutex) }
        return body(&state)
    }

    /// Blocks until `ready` holds or `timeout` has passed; true when `ready` holds.
    func wait(until ready: (State) -> Bool, timeout: Duration) -> Bool {
        let deadline = Self.deadline(after: timeout)
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !ready(state) {
            var remaining = deadline
            if pthread_cond_timedwait(condition, mutex, &remaining) == ETIMEDOUT { return ready(state) }
        }
        return true
    }

    private static func deadline(after timeout: Duration) -> timespec {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        // Negative waits become zero and huge ones about 35 years, so the arithmetic cannot overflow.
        let (seconds, attoseconds) = max(timeout, .zero).components
        var nanoseconds = Int(now.tv_nsec) + Int(attoseconds / 1_000_000_000)
        var wholeSeconds = Int(now.tv_sec) + Int(min(seconds, 1 << 30))
        if nanoseconds >= 1_000_000_000 {
            nanoseconds -= 1_000_000_000
            wholeSeconds += 1
        }
        return timespec(tv_sec: wholeSeconds, tv_nsec: nanoseconds)
    }
}
