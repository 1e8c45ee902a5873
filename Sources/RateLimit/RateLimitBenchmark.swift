import Synchronization

/// A bounded micro-benchmark of the real limiter under contention, for the CLI.
public enum RateLimitBenchmark {
    public enum Keys: Sendable {
        /// Every thread hammers one client: worst-case contention on a single shard lock.
        case one
        /// A fresh random IPv4 client per request: a flood of distinct keys, exercising eviction and overflow.
        case random
        /// Clients drawn uniformly from `count` addresses: steady state with a warm table.
        case pool(Int)
    }

    /// Runs `threads` (1...64) threads for `seconds` (0.01...30) of wall time against a default `RateLimiter`
    /// (100/s, burst 100), each reading the monotonic clock per take as the proxy does.
    /// Returns the mean operations per thread and wall nanoseconds per operation on one thread.
    public static func run(threads: Int, keys: Keys, seconds: Double) -> (opsPerThread: Int, nsPerOp: Double) {
        let threadCount = min(max(threads, 1), 64)
        let duration = UInt64(min(max(seconds.isFinite ? seconds : 0, 0.01), 30) * 1e9)
        let limiter = RateLimiter()
        guard let spec = RateSpec(rate: 100, per: 1, burst: 100) else { preconditionFailure("constant spec is valid") }
        let totalOps = Atomic<Int>(0)
        let start = MonotonicClock.nanoseconds()
        let deadline = start + duration
        ThreadGroup.run(count: threadCount) { index in
            var random = UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15
            var ops = 0
            while true {
                let now = MonotonicClock.nanoseconds()
                if now >= deadline { break }
                let address: UInt32
                switch keys {
                case .one: address = 0x0A00_0001
                case .random: address = UInt32(truncatingIfNeeded: next(&random))
                case .pool(let count): address = 0x0A00_0000 &+ UInt32(truncatingIfNeeded: next(&random) % UInt64(max(count, 1)))
                }
                _ = limiter.take(.ip(IPAddress(ipv4Value: address)), limiterID: 0, spec: spec, now: now)
                ops += 1
            }
            totalOps.add(ops, ordering: .relaxed)
        }
        let elapsed = MonotonicClock.nanoseconds() - start
        let ops = max(totalOps.load(ordering: .relaxed), 1)
        return (ops / threadCount, Double(elapsed) * Double(threadCount) / Double(ops))
    }

    /// xorshift64*: cheap, and distinct per thread.
    @inline(__always)
    private static func next(_ state: inout UInt64) -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}
