import Testing

@testable import RateLimit

@Suite struct RateSpecTests {
    @Test(arguments: [
        ("100/s", 100.0),
        ("6000/m", 100.0),
        ("6000/min", 100.0),
        ("10/h", 10.0 / 3600),
        ("0.5/s", 0.5),
        ("1/min", 1.0 / 60),
    ])
    func parses(text: String, perSecond: Double) throws {
        let spec = try #require(RateSpec(parsing: text, burst: 5))
        #expect(spec.tokensPerSecond == perSecond)
        #expect(spec.burst == 5)
    }

    @Test(arguments: [
        "", "/s", "100", "100/", "100/sec", "100/S", "-1/s", "0/s", "0.0/s", "1e3/s", "inf/s", "nan/s", "1.5.2/s", ".5/s",
        "5./s", " 100/s", "100/s ", "2000000000/s",
    ])
    func rejects(text: String) {
        #expect(RateSpec(parsing: text, burst: 5) == nil)
    }

    @Test func rejectsBadNumbers() {
        #expect(RateSpec(rate: 1, per: 1, burst: 0) == nil)
        #expect(RateSpec(rate: 1, per: 0, burst: 1) == nil)
        #expect(RateSpec(rate: .infinity, per: 1, burst: 1) == nil)
        #expect(RateSpec(rate: .nan, per: 1, burst: 1) == nil)
        #expect(RateSpec(rate: 1, per: 1e300, burst: 1) == nil)
        #expect(RateSpec(rate: 1, per: 3600, burst: Int.max) == nil)
    }

    @Test func equivalentTextsAreEqual() {
        #expect(RateSpec(parsing: "6000/min", burst: 10) == RateSpec(parsing: "100/s", burst: 10))
        #expect(RateSpec(parsing: "100/s", burst: 10) != RateSpec(parsing: "100/s", burst: 11))
    }

    @Test func intervalIsRoundedUpNeverDown() throws {
        let third = try #require(RateSpec(rate: 3, per: 1, burst: 1))
        #expect(third.intervalNanos == 333_333_334)
        let exact = try #require(RateSpec(rate: 100, per: 1, burst: 1))
        #expect(exact.intervalNanos == 10_000_000)
    }
}
