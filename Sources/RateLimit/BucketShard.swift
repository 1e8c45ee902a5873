// One shard of the rate-limit table. Design:
//
// - Buckets are GCRA cells: a bucket is one "theoretical arrival time" (TAT) in monotonic nanoseconds, the instant
//   at which it will be full again. Debt = max(0, TAT − now); a request is admitted if debt + interval ≤ capacity,
//   and then TAT = max(TAT, now) + interval. That is a token bucket (capacity `burst`, refill `rate`) refilled
//   lazily at take() with integer arithmetic: no timers, no floating-point drift. Every admission advances TAT by at
//   least one interval (≥ 1/rate, rounded up) and never past now + capacity, so n admissions between t0 and t1
//   imply n·interval ≤ (t1 + capacity) − t0, i.e. n ≤ burst + rate·(t1 − t0), whatever the interleaving of threads
//   and even if a thread's `now` is stale (a stale now only sees more debt).
// - TAT ≤ now means "full", which is exactly the state of a bucket never seen. Only such buckets are evicted, so
//   evicting never forgives debt: a client cannot reset its limit by flooding the table with other keys.
// - Storage is preallocated at init: `capacity` slots plus a chained hash index (`heads`, a power of two ≥ 2 ×
//   capacity, chains linked through the slots). Memory never grows.
// - Eviction is a clock sweep: a miss on a full shard probes at most `evictionProbes` slots from a hand that moves
//   round the slot array, and reuses the first full one. The hand never goes back, so a cluster of drained
//   clients cannot stall eviction: the next miss probes the slots after them. The slot under the hand is the one
//   (re)filled longest ago, the likeliest to have refilled. An intrusive LRU list was measured first: keeping it
//   costs every hit writes to two neighbouring slots (cache misses; a warm 10k-key pool went from ~170 to ~70 ns
//   per take without it) for nothing that matters here, since evicting
//   a full bucket that was used recently is harmless (it is equivalent to a fresh one). Work per take is O(1): one
//   chain walk (short: load ≤ ½ under a per-process random hash seed) plus a bounded probe.
// - If no probed slot is full, the new key is charged to this shard's overflow bucket for its limiter ID
//   (`limiterID mod overflowBuckets`; IDs that collide share, which is only stricter). All new keys arriving while
//   the shard is full of indebted clients share that one bucket's allowance until their slots refill and free up.

/// One slot: a (key, limiter) pair, its TAT, and its hash chain link. 48 bytes.
struct BucketSlot {
    var high: UInt64
    var low: UInt64
    var limiterID: Int
    var tat: UInt64
    var chainNext: Int32
    var home: UInt32
    var kind: UInt8
}

struct BucketShard: ~Copyable {
    static let evictionProbes = 4
    static let overflowBuckets = 16
    static let none: Int32 = -1

    let capacity: Int
    private let slots: UnsafeMutablePointer<BucketSlot>
    private let heads: UnsafeMutablePointer<Int32>
    private let headMask: Int
    private let overflow: UnsafeMutablePointer<UInt64>
    private(set) var used = 0
    private var hand = 0
    private(set) var overflowTakes = 0
    private(set) var evictions = 0
    /// Keeps the next shard's lock word (shards are laid out back to back) off this shard's cache lines.
    private let padding: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)

    init(capacity requested: Int) {
        capacity = min(max(requested, 1), Int(Int32.max / 4))
        var headCount = 1
        while headCount < capacity * 2 { headCount <<= 1 }
        headMask = headCount - 1
        slots = .allocate(capacity: capacity)
        heads = .allocate(capacity: headCount)
        heads.initialize(repeating: Self.none, count: headCount)
        overflow = .allocate(capacity: Self.overflowBuckets)
        overflow.initialize(repeating: 0, count: Self.overflowBuckets)
    }

    deinit {
        slots.deallocate()
        heads.deallocate()
        overflow.deallocate()
    }

    mutating func take(_ key: ClientKey, limiterID: Int, hash: UInt64, spec: RateSpec, now: UInt64) -> RateDecision {
        let home = Int(truncatingIfNeeded: hash) & headMask
        if let index = find(key, limiterID: limiterID, home: home) {
            return charge(index, spec: spec, now: now)
        }
        guard let index = claimSlot(now: now) else {
            overflowTakes += 1
            let bucket = limiterID & (Self.overflowBuckets - 1)
            // Copied in and out: `&overflow[bucket]` crashes the 6.3.1 compiler under -sanitize=thread.
            var tat = overflow[bucket]
            let decision = GCRA.take(&tat, spec: spec, now: now)
            overflow[bucket] = tat
            return decision
        }
        slots[Int(index)] = BucketSlot(
            high: key.high, low: key.low, limiterID: limiterID, tat: now,
            chainNext: heads[home], home: UInt32(home), kind: key.kind.rawValue)
        heads[home] = index
        return charge(index, spec: spec, now: now)
    }

    @inline(__always)
    private func charge(_ index: Int32, spec: RateSpec, now: UInt64) -> RateDecision {
        GCRA.take(&slots[Int(index)].tat, spec: spec, now: now)
    }

    /// The decision `take` would return for an existing bucket (a full one if untracked), without charging it.
    func peek(_ key: ClientKey, limiterID: Int, hash: UInt64, spec: RateSpec, now: UInt64) -> RateDecision {
        let home = Int(truncatingIfNeeded: hash) & headMask
        guard let index = find(key, limiterID: limiterID, home: home) else { return GCRA.peek(tat: 0, spec: spec, now: now) }
        return GCRA.peek(tat: slots[Int(index)].tat, spec: spec, now: now)
    }

    private func find(_ key: ClientKey, limiterID: Int, home: Int) -> Int32? {
        var index = heads[home]
        while index != Self.none {
            let slot = slots + Int(index)
            if slot.pointee.high == key.high && slot.pointee.low == key.low && slot.pointee.limiterID == limiterID
                && slot.pointee.kind == key.kind.rawValue
            {
                return index
            }
            index = slot.pointee.chainNext
        }
        return nil
    }

    /// A free slot, or the first full bucket among the next few under the hand; nil if every probed one holds debt.
    private mutating func claimSlot(now: UInt64) -> Int32? {
        if used < capacity {
            used += 1
            return Int32(used - 1)
        }
        for _ in 0..<Self.evictionProbes {
            let candidate = hand
            hand = hand + 1 == capacity ? 0 : hand + 1
            // Security: only a full bucket may go; one in debt is the only record that its client owes us.
            if slots[candidate].tat <= now {
                unlinkChain(Int32(candidate))
                evictions += 1
                return Int32(candidate)
            }
        }
        return nil
    }

    private func unlinkChain(_ index: Int32) {
        let home = Int(slots[Int(index)].home)
        let next = slots[Int(index)].chainNext
        if heads[home] == index {
            heads[home] = next
            return
        }
        var previous = heads[home]
        while previous != Self.none {
            if slots[Int(previous)].chainNext == index {
                slots[Int(previous)].chainNext = next
                return
            }
            previous = slots[Int(previous)].chainNext
        }
        preconditionFailure("rate-limit slot missing from its hash chain")
    }
}
