import Testing

@testable import LoadTest

/// The open-loop schedule with its clock supplied by the test: exact intended times, no sleeping.
@Suite struct RateScheduleTests {
    @Test(arguments: [1, 3, 1000, 7919, 250_000])
    func intendedTimesAreExactForOneWorker(rate: Int) {
        let start: UInt64 = 5_000_000_000
        let s = RateSchedule(ratePerSecond: rate, start: start)
        for n in [0, 1, 2, 17, rate - 1, rate, 10 * rate + 3] where n >= 0 {
            #expect(s.intendedTime(n) == start + UInt64(n) * 1_000_000_000 / UInt64(rate))
        }
        // Exactly `rate` requests fall in each whole second.
        #expect(s.dueCount(at: start + 1_000_000_000 - 1) == rate)
        #expect(s.dueCount(at: start + 3_000_000_000 - 1) == 3 * rate)
    }

    @Test func dueCountSteps() {
        let s = RateSchedule(ratePerSecond: 4, start: 1000)  // every 250 ms
        #expect(s.dueCount(at: 0) == 0)
        #expect(s.dueCount(at: 999) == 0)
        #expect(s.dueCount(at: 1000) == 1)
        #expect(s.dueCount(at: 1000 + 249_999_999) == 1)
        #expect(s.dueCount(at: 1000 + 250_000_000) == 2)
        #expect(s.dueCount(at: 1000 + 1_000_000_000) == 5)
    }

    @Test(arguments: [(3, 1_000), (4, 999), (7, 100_003)])
    func workersSplitTheGlobalScheduleExactly(workers: Int, rate: Int) {
        let start: UInt64 = 42
        let global = RateSchedule(ratePerSecond: rate, start: start)
        let parts = (0..<workers).map { RateSchedule(ratePerSecond: rate, start: start, worker: $0, workers: workers) }
        // Worker w's n-th request is global request w + n·W.
        for w in 0..<workers {
            for n in 0..<50 { #expect(parts[w].intendedTime(n) == global.intendedTime(w + n * workers)) }
        }
        // At any instant the workers' due counts add up to the global one.
        for t: UInt64 in [0, 41, 42, 43, 1_000_000, 123_456_789, 999_999_999, 1_000_000_041, 1_000_000_042, 7_777_777_777] {
            #expect(parts.reduce(0) { $0 + $1.dueCount(at: t) } == global.dueCount(at: t), "at \(t)")
        }
    }

    @Test func dueCountAgreesWithIntendedTimes() {
        let s = RateSchedule(ratePerSecond: 333, start: 0, worker: 1, workers: 2)
        for n in 0..<500 {
            let t = s.intendedTime(n)
            #expect(s.dueCount(at: t) == n + 1)
            if t > 0 { #expect(s.dueCount(at: t - 1) == n) }
        }
    }

    @Test func longRunsDoNotOverflow() {
        let s = RateSchedule(ratePerSecond: 10_000_000, start: 0)
        let week: UInt64 = 7 * 24 * 3600 * 1_000_000_000
        #expect(s.dueCount(at: week - 1) == 7 * 24 * 3600 * 10_000_000)
        #expect(s.intendedTime(7 * 24 * 3600 * 10_000_000) == week)
    }
}
