/// Open-loop send times: request k of the whole run is due at `start + k·10⁹/rate` ns (floored). Worker `w` of `W`
/// takes every W-th request starting at k = w, so the workers together keep the exact total rate. Latency is then
/// measured from these intended times, not from when a connection happened to be free (wrk2's correction for
/// coordinated omission). Pure arithmetic on a given `now`, so tests drive it with any clock.
public struct RateSchedule: Sendable, Equatable {
    public let start: UInt64
    public let ratePerSecond: Int
    public let worker: Int
    public let workers: Int

    public init(ratePerSecond: Int, start: UInt64, worker: Int = 0, workers: Int = 1) {
        precondition(ratePerSecond > 0 && workers > 0 && worker >= 0 && worker < workers, "invalid rate schedule")
        self.start = start
        self.ratePerSecond = ratePerSecond
        self.worker = worker
        self.workers = workers
    }

    /// The intended send time of this worker's `n`-th request.
    @inline(__always)
    public func intendedTime(_ n: Int) -> UInt64 {
        let k = UInt64(worker + n * workers)
        let (high, low) = k.multipliedFullWidth(by: 1_000_000_000)
        let (q, _) = UInt64(ratePerSecond).dividingFullWidth((high, low))
        return start &+ q
    }

    /// How many of this worker's requests are due at `now` (their intended time is at or before it).
    @inline(__always)
    public func dueCount(at now: UInt64) -> Int {
        guard now >= start else { return 0 }
        // Global request k is due when ⌊k·10⁹/R⌋ ≤ elapsed, i.e. k·10⁹ < (elapsed+1)·R.
        let (high, low) = (now - start + 1).multipliedFullWidth(by: UInt64(ratePerSecond))
        let product = (high, low)
        let (q, r) = UInt64(1_000_000_000).dividingFullWidth(product)
        let globalDue = Int(clamping: r == 0 ? q : q + 1)
        return globalDue > worker ? (globalDue - worker + workers - 1) / workers : 0
    }
}
