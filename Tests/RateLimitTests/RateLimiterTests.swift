import Testing

@testable import RateLimit

@Suite struct RateLimiterTests {
    static let second: UInt64 = 1_000_000_000
    let client = ClientKey.ip(IPAddress(ipv4: (198, 51, 100, 7)))

    func spec(_ text: String, burst: Int) throws -> RateSpec {
        try #require(RateSpec(parsing: text, burst: burst))
    }

    @Test func exactBurstThenLimited() throws {
        let limiter = RateLimiter()
        let spec = try spec("1/s", burst: 5)
        for expectedRemaining in (0..<5).reversed() {
            #expect(limiter.take(client, limiterID: 0, spec: spec, now: 0) == .allowed(remaining: expectedRemaining, resetSeconds: 5 - expectedRemaining))
        }
        #expect(limiter.take(client, limiterID: 0, spec: spec, now: 0) == .limited(retryAfterSeconds: 1, resetSeconds: 5))
        #expect(limiter.take(client, limiterID: 0, spec: spec, now: 0) == .limited(retryAfterSeconds: 1, resetSeconds: 5))
    }

    @Test func refillsAfterExactlyOneInterval() throws {
        let limiter = RateLimiter()
        let spec = try spec("1/s", burst: 2)
        let start: UInt64 = 1_000 * Self.second
        #expect(limiter.take(client, limiterID: 0, spec: spec, now: start).isAllowed)
        #expect(limiter.take(client, limiterID: 0, spec: spec, now: start).isAllowed)
        #expect(!limiter.take(client, limiterID: 0, spec: spec, now: start + Self.second - 1).isAllowed)
        #expect(limiter.take(client, limiterID: 0, spec: spec, now: start + Self.second) == .allowed(remaining: 0, resetSeconds: 2))
        #expect(!limiter.take(client, limiterID: 0, spec: spec, now: start + Self.second).isAllowed)
        // After a long idle time the bucket is full again, but never above burst.
        #expect(limiter.take(client, limiterID: 0, spec: spec, now: start + 100 * Self.second) == .allowed(remaining: 1, resetSeconds: 1))
        #expect(limiter.take(client, limiterID: 0, spec: spec, now: start + 100 * Self.second).isAllowed)
        #expect(!limiter.take(client, limiterID: 0, spec: spec, now: start + 100 * Self.second).isAllowed)
    }

    @Test(arguments: [
        ("1/s", 1, 1, 1),
        ("1/min", 1, 60, 60),
        ("10/s", 10, 1, 1),
        ("10/h", 1, 360, 360),
        ("1/min", 5, 60, 300),
        ("3/s", 1, 1, 1),
        ("100/s", 1000, 1, 10),
    ])
    func retryAfterAfterBurst(rate: String, burst: Int, retryAfter: Int, reset: Int) throws {
        let limiter = RateLimiter()
        let spec = try spec(rate, burst: burst)
        for _ in 0..<burst {
            #expect(limiter.take(client, limiterID: 0, spec: spec, now: 5 * Self.second).isAllowed)
        }
        #expect(limiter.take(client, limiterID: 0, spec: spec, now: 5 * Self.second) == .limited(retryAfterSeconds: retryAfter, resetSeconds: reset))
    }

    @Test func retryAfterIsNeverZero() throws {
        let limiter = RateLimiter()
        let spec = try spec("1/s", burst: 1)
        #expect(limiter.take(client, limiterID: 0, spec: spec, now: 0).isAllowed)
        // One nanosecond before the token returns, a client is still told to wait a whole second.
        #expect(limiter.take(client, limiterID: 0, spec: spec, now: Self.second - 1) == .limited(retryAfterSeconds: 1, resetSeconds: 1))
    }

    @Test func fractionalRates() throws {
        let limiter = RateLimiter()
        let half = try spec("0.5/s", burst: 1)
        #expect(limiter.take(client, limiterID: 0, spec: half, now: 0) == .allowed(remaining: 0, resetSeconds: 2))
        #expect(limiter.take(client, limiterID: 0, spec: half, now: 2 * Self.second - 1) == .limited(retryAfterSeconds: 1, resetSeconds: 1))
        #expect(limiter.take(client, limiterID: 0, spec: half, now: 2 * Self.second).isAllowed)

        let third = try spec("3/s", burst: 1)
        #expect(limiter.take(client, limiterID: 1, spec: third, now: 0).isAllowed)
        #expect(!limiter.take(client, limiterID: 1, spec: third, now: 333_333_333).isAllowed)
        #expect(limiter.take(client, limiterID: 1, spec: third, now: 333_333_334).isAllowed)

        // 90 per minute is one token per 666_666_666.7 ns, charged as 666_666_667: never faster than the rate.
        let ninety = try spec("90/min", burst: 1)
        #expect(limiter.take(client, limiterID: 2, spec: ninety, now: 0).isAllowed)
        for k: UInt64 in 1...15 {
            #expect(!limiter.take(client, limiterID: 2, spec: ninety, now: k * 666_666_667 - 1).isAllowed)
            #expect(limiter.take(client, limiterID: 2, spec: ninety, now: k * 666_666_667).isAllowed)
        }
    }

    @Test func limiterIDsAndClientsHaveSeparateBuckets() throws {
        let limiter = RateLimiter()
        let spec = try spec("1/min", burst: 1)
        let other = ClientKey.ip(IPAddress(ipv4: (198, 51, 100, 8)))
        #expect(limiter.take(client, limiterID: 0, spec: spec, now: 0).isAllowed)
        #expect(!limiter.take(client, limiterID: 0, spec: spec, now: 0).isAllowed)
        #expect(limiter.take(client, limiterID: 1, spec: spec, now: 0).isAllowed)
        #expect(limiter.take(other, limiterID: 0, spec: spec, now: 0).isAllowed)
        #expect(limiter.trackedKeys == 3)
    }

    @Test func clockGoingBackwardsOnlyAddsDebt() throws {
        let limiter = RateLimiter()
        let spec = try spec("1/s", burst: 1)
        #expect(limiter.take(client, limiterID: 0, spec: spec, now: 10 * Self.second).isAllowed)
        // A thread with a stale `now` must not be granted tokens the bucket has already spent.
        #expect(limiter.take(client, limiterID: 0, spec: spec, now: 5 * Self.second) == .limited(retryAfterSeconds: 6, resetSeconds: 6))
        #expect(limiter.take(client, limiterID: 0, spec: spec, now: 11 * Self.second).isAllowed)
    }

    @Test func peekDoesNotCharge() throws {
        let limiter = RateLimiter()
        let spec = try spec("1/s", burst: 2)
        #expect(limiter.peek(client, limiterID: 0, spec: spec, now: 0) == .allowed(remaining: 2, resetSeconds: 0))
        #expect(limiter.trackedKeys == 0)
        #expect(limiter.take(client, limiterID: 0, spec: spec, now: 0).isAllowed)
        #expect(limiter.peek(client, limiterID: 0, spec: spec, now: 0) == .allowed(remaining: 1, resetSeconds: 1))
        #expect(limiter.take(client, limiterID: 0, spec: spec, now: 0).isAllowed)
        #expect(limiter.peek(client, limiterID: 0, spec: spec, now: 0) == .limited(retryAfterSeconds: 1, resetSeconds: 2))
        #expect(limiter.peek(client, limiterID: 0, spec: spec, now: 0) == .limited(retryAfterSeconds: 1, resetSeconds: 2))
    }

    @Test func extremeClockValuesDoNotTrap() throws {
        let limiter = RateLimiter()
        let spec = try spec("1/h", burst: 1000)
        #expect(limiter.take(client, limiterID: 0, spec: spec, now: .max - 1).isAllowed)
        #expect(!limiter.take(client, limiterID: 0, spec: spec, now: 0).isAllowed)
    }

    @Test func capacityRoundsDownToShards() {
        #expect(RateLimiter(maxKeys: 100, shardCount: 64).capacity == 64)
        #expect(RateLimiter(maxKeys: 1000, shardCount: 64).capacity == 960)
        #expect(RateLimiter(maxKeys: 3, shardCount: 64).capacity == 3)
        #expect(RateLimiter(maxKeys: 0, shardCount: 0).capacity == 1)
    }
}
