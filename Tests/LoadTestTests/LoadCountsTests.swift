import Testing

@testable import LoadTest

@Suite struct LoadCountsTests {
    @Test func mergingAcrossWorkersKeepsEveryCountAndPercentile() {
        var a = LoadCounts()
        var b = LoadCounts()
        var whole = LoadCounts()
        // Worker a saw fast answers, worker b slow ones: the merged tail must come from b.
        for i in 1...990 {
            a.record(status: 200, tokenClass: .valid, latencyNanos: UInt64(i) * 1_000, allow429: false)
            whole.record(status: 200, tokenClass: .valid, latencyNanos: UInt64(i) * 1_000, allow429: false)
        }
        for i in 1...10 {
            b.record(status: 401, tokenClass: .expired, latencyNanos: UInt64(i) * 10_000_000, allow429: false)
            whole.record(status: 401, tokenClass: .expired, latencyNanos: UInt64(i) * 10_000_000, allow429: false)
        }
        b.record(status: 200, tokenClass: .wrongRole, latencyNanos: 5_000, allow429: false)
        whole.record(status: 200, tokenClass: .wrongRole, latencyNanos: 5_000, allow429: false)
        a.ioErrors = 2
        b.timeouts = 3
        b.bytesRead = 100
        a.bytesRead = 11

        var merged = LoadCounts()
        merged.merge(a)
        merged.merge(b)
        #expect(merged.completed == 1001)
        #expect(merged.statuses[200] == 991)
        #expect(merged.statuses[401] == 10)
        #expect(merged.classCompleted[TokenClass.valid.rawValue] == 990)
        #expect(merged.classMismatched[TokenClass.wrongRole.rawValue] == 1)
        #expect(merged.classMismatched[TokenClass.expired.rawValue] == 0)
        #expect(merged.errors == 5)
        #expect(merged.bytesRead == 111)
        #expect(merged.latency.totalCount == 1001)
        #expect(merged.latency == whole.latency)
        #expect(merged.latency.max >= 100_000_000 - 100_000)
        #expect(merged.latency.valueAtPercentile(99.9) >= 90_000_000)
        #expect(merged.latency.valueAtPercentile(90) < 1_000_000)
    }

    @Test func latencyBeyondAnHourIsClamped() {
        var c = LoadCounts()
        c.record(status: 200, tokenClass: .unchecked, latencyNanos: .max, allow429: false)
        #expect(c.latency.totalCount == 1)
        #expect(c.latency.max >= LoadCounts.maxLatencyNanos - LoadCounts.maxLatencyNanos / 1000)
    }

    @Test func oddStatusesAreCountedInSlotZero() {
        var c = LoadCounts()
        c.record(status: 999, tokenClass: .valid, latencyNanos: 1, allow429: false)
        #expect(c.statuses[0] == 1)
        #expect(c.classMismatched[TokenClass.valid.rawValue] == 1)
    }
}
