import Testing

@testable import RateLimit

@Suite struct EvictionTests {
    static let second: UInt64 = 1_000_000_000

    func key(_ n: Int) -> ClientKey {
        .ip(IPAddress(ipv4Value: 0x0A00_0000 &+ UInt32(truncatingIfNeeded: n)))
    }

    @Test func floodOfDistinctKeysStaysAtTheBound() throws {
        let limiter = RateLimiter(maxKeys: 256, shardCount: 8)
        let spec = try #require(RateSpec(parsing: "100/s", burst: 1))
        // Each flood key refills 10 ms after its one request, so older ones become evictable as time moves.
        for n in 0..<(10 * limiter.capacity) {
            _ = limiter.take(key(n), limiterID: 0, spec: spec, now: UInt64(n) * 1_000_000)
            #expect(limiter.trackedKeys <= limiter.capacity)
        }
        #expect(limiter.trackedKeys == limiter.capacity)
        #expect(limiter.evictions > 8 * limiter.capacity)
    }

    @Test func drainedBucketSurvivesAFlood() throws {
        let limiter = RateLimiter(maxKeys: 64, shardCount: 4)
        let slow = try #require(RateSpec(parsing: "1/h", burst: 3))
        let fast = try #require(RateSpec(parsing: "100/s", burst: 1))
        let victim = ClientKey.ip(IPAddress(ipv4: (203, 0, 113, 1)))
        for _ in 0..<3 {
            #expect(limiter.take(victim, limiterID: 1, spec: slow, now: 0).isAllowed)
        }
        #expect(!limiter.take(victim, limiterID: 1, spec: slow, now: 0).isAllowed)
        // 10× the table in distinct keys, with time moving so their buckets refill and get evicted.
        for n in 0..<(10 * limiter.capacity) {
            _ = limiter.take(key(n), limiterID: 2, spec: fast, now: UInt64(n) * 1_000_000)
        }
        #expect(limiter.evictions > 0)
        let after = limiter.take(victim, limiterID: 1, spec: slow, now: 1 * Self.second)
        #expect(after == .limited(retryAfterSeconds: 3599, resetSeconds: 3 * 3600 - 1))
    }

    @Test func drainedBucketSurvivesAFloodThatNeverRefills() throws {
        let limiter = RateLimiter(maxKeys: 32, shardCount: 1)
        let spec = try #require(RateSpec(parsing: "1/min", burst: 1))
        let victim = ClientKey.ip(IPAddress(ipv4: (203, 0, 113, 1)))
        #expect(limiter.take(victim, limiterID: 0, spec: spec, now: 0).isAllowed)
        for n in 0..<(10 * limiter.capacity) {
            _ = limiter.take(key(n), limiterID: 0, spec: spec, now: 0)
        }
        #expect(limiter.evictions == 0)
        #expect(!limiter.take(victim, limiterID: 0, spec: spec, now: 0).isAllowed)
    }

    @Test func overflowBucketIsSharedAndStrict() throws {
        let limiter = RateLimiter(maxKeys: 4, shardCount: 1)
        let spec = try #require(RateSpec(parsing: "1/s", burst: 1))
        for n in 0..<4 {
            #expect(limiter.take(key(n), limiterID: 0, spec: spec, now: 0).isAllowed)
        }
        // Table full of clients in debt: every newcomer shares one bucket, so only one of them passes.
        #expect(limiter.take(key(4), limiterID: 0, spec: spec, now: 0) == .allowed(remaining: 0, resetSeconds: 1))
        #expect(limiter.take(key(5), limiterID: 0, spec: spec, now: 0) == .limited(retryAfterSeconds: 1, resetSeconds: 1))
        #expect(limiter.take(key(4), limiterID: 0, spec: spec, now: 0) == .limited(retryAfterSeconds: 1, resetSeconds: 1))
        // Another policy has its own overflow bucket.
        #expect(limiter.take(key(6), limiterID: 1, spec: spec, now: 0).isAllowed)
        #expect(limiter.overflowUse == 4)
        #expect(limiter.trackedKeys == 4)
        // Once the tracked buckets have refilled they are evicted and newcomers get their own buckets again.
        #expect(limiter.take(key(5), limiterID: 0, spec: spec, now: Self.second).isAllowed)
        #expect(limiter.take(key(4), limiterID: 0, spec: spec, now: Self.second).isAllowed)
        #expect(limiter.evictions == 2)
        #expect(limiter.overflowUse == 4)
        #expect(!limiter.take(key(5), limiterID: 0, spec: spec, now: Self.second).isAllowed)
    }

    @Test func drainedBucketsDoNotStallEviction() throws {
        let limiter = RateLimiter(maxKeys: 16, shardCount: 1)
        let slow = try #require(RateSpec(parsing: "1/h", burst: 1))
        let fast = try #require(RateSpec(parsing: "1/s", burst: 1))
        // The eight oldest buckets stay in debt for an hour; the eight newer ones refill after a second.
        for n in 0..<8 {
            _ = limiter.take(key(n), limiterID: 0, spec: slow, now: 0)
        }
        for n in 8..<16 {
            _ = limiter.take(key(n), limiterID: 0, spec: fast, now: 0)
        }
        for n in 16..<24 {
            _ = limiter.take(key(n), limiterID: 0, spec: fast, now: 2 * Self.second)
        }
        // Each miss probes a few slots past the clock hand, so after 8 / probes misses have gone to overflow
        // the hand has passed the drained buckets and reaches the refilled ones behind them.
        let stalled = 8 / BucketShard.evictionProbes
        #expect(limiter.overflowUse == stalled)
        #expect(limiter.evictions == 8 - stalled)
        for n in 0..<8 {
            #expect(!limiter.take(key(n), limiterID: 0, spec: slow, now: 2 * Self.second).isAllowed)
        }
    }
}
