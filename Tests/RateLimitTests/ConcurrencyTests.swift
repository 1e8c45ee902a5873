import Synchronization
import Testing

@testable import RateLimit

/// Invariant, not timing: however threads interleave, a bucket never admits more than burst + rate × elapsed,
/// with elapsed measured on the monotonic clock around the whole run.
@Suite struct ConcurrencyTests {
    static let runNanos: UInt64 = 150_000_000

    /// Hammers `keys` from `threads` threads; returns admissions per key and the elapsed nanoseconds.
    func hammer(threads: Int, keys: [ClientKey], spec: RateSpec) -> (admitted: [Int], elapsed: UInt64) {
        let limiter = RateLimiter(maxKeys: 1024, shardCount: 16)
        let totals = Mutex([Int](repeating: 0, count: keys.count))
        let start = MonotonicClock.nanoseconds()
        let deadline = start + Self.runNanos
        ThreadGroup.run(count: threads) { index in
            var local = [Int](repeating: 0, count: keys.count)
            var random = UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15
            while true {
                let now = MonotonicClock.nanoseconds()
                if now >= deadline { break }
                random ^= random << 13
                random ^= random >> 7
                random ^= random << 17
                let pick = Int(random % UInt64(keys.count))
                if limiter.take(keys[pick], limiterID: 0, spec: spec, now: now).isAllowed {
                    local[pick] += 1
                }
            }
            totals.withLock { totals in
                for i in totals.indices { totals[i] += local[i] }
            }
        }
        let elapsed = MonotonicClock.nanoseconds() - start
        return (totals.withLock { $0 }, elapsed)
    }

    func bound(_ spec: RateSpec, elapsed: UInt64) -> Double {
        Double(spec.burst) + spec.tokensPerSecond * Double(elapsed) / 1e9
    }

    @Test(arguments: [2, 3, 4])
    func oneKeyNeverExceedsBurstPlusRate(threads: Int) throws {
        let spec = try #require(RateSpec(rate: 2000, per: 1, burst: 50))
        let (admitted, elapsed) = hammer(threads: threads, keys: [.ip(IPAddress(ipv4: (10, 0, 0, 1)))], spec: spec)
        #expect(admitted[0] >= spec.burst)
        #expect(Double(admitted[0]) <= bound(spec, elapsed: elapsed))
    }

    @Test(arguments: [2, 4])
    func randomKeysEachNeverExceedBurstPlusRate(threads: Int) throws {
        let spec = try #require(RateSpec(rate: 333, per: 1, burst: 7))
        let keys = (0..<32).map { ClientKey.ip(IPAddress(ipv4Value: 0xC633_6400 + UInt32($0))) }
        let (admitted, elapsed) = hammer(threads: threads, keys: keys, spec: spec)
        #expect(admitted.reduce(0, +) >= spec.burst)
        for count in admitted {
            #expect(Double(count) <= bound(spec, elapsed: elapsed))
        }
    }

    @Test func benchmarkRunsBoundedAndCounts() {
        let result = RateLimitBenchmark.run(threads: 2, keys: .random, seconds: 0.02)
        #expect(result.opsPerThread > 0)
        #expect(result.nsPerOp > 0)
    }
}
