import Synchronization

/// Per-client token buckets shared by every worker thread. The table is split into shards by key hash, each behind
/// its own `Mutex`, so threads contend only when they hit the same shard, and only for a few dozen instructions.
/// Memory is bounded by `capacity` buckets, preallocated; see BucketShard.swift for eviction and overflow.
///
/// `@unchecked Sendable`: the shard array is written only in `init`/`deinit`, and every shard is touched only through
/// its `Mutex`. Shards sit in one raw allocation rather than an array of boxes because retaining a box on every
/// take put a contended atomic on the hot path.
public final class RateLimiter: @unchecked Sendable {
    private let shards: UnsafeMutablePointer<Mutex<BucketShard>>
    private let shardCount: Int
    private let hasher: KeyHash

    /// The most buckets ever tracked: `maxKeys` rounded down to a multiple of the shard count (at least one per shard).
    public let capacity: Int

    public init(maxKeys: Int = 100_000, shardCount: Int = 64) {
        let keys = max(maxKeys, 1)
        let count = min(max(shardCount, 1), keys)
        let perShard = keys / count
        shards = .allocate(capacity: count)
        for index in 0..<count {
            (shards + index).initialize(to: Mutex(BucketShard(capacity: perShard)))
        }
        self.shardCount = count
        capacity = perShard * count
        hasher = KeyHash()
    }

    deinit {
        shards.deinitialize(count: shardCount)
        shards.deallocate()
    }

    /// Charges one token to the bucket of (`limiterID`, `key`) under `spec` at monotonic time `now` (nanoseconds).
    /// `limiterID` separates policies: the same client has independent buckets under different IDs.
    public func take(_ key: ClientKey, limiterID: Int, spec: RateSpec, now: UInt64) -> RateDecision {
        let hash = hasher.hash(key, limiterID: limiterID)
        return shards[shardIndex(hash)].withLock { $0.take(key, limiterID: limiterID, hash: hash, spec: spec, now: now) }
    }

    /// What `take` would decide, without charging a token or creating a bucket.
    public func peek(_ key: ClientKey, limiterID: Int, spec: RateSpec, now: UInt64) -> RateDecision {
        let hash = hasher.hash(key, limiterID: limiterID)
        return shards[shardIndex(hash)].withLock { $0.peek(key, limiterID: limiterID, hash: hash, spec: spec, now: now) }
    }

    /// Buckets currently tracked (a sum over shards, each read under its lock; approximate while traffic flows).
    public var trackedKeys: Int { sum { $0.used } }

    /// Takes charged to an overflow bucket because a full shard had no refilled bucket to evict (a flood signal).
    public var overflowUse: Int { sum { $0.overflowTakes } }

    /// Full buckets evicted to make room for new keys.
    public var evictions: Int { sum { $0.evictions } }

    @inline(__always)
    private func shardIndex(_ hash: UInt64) -> Int {
        // High half picks the shard, low bits the chain inside it, so the two choices stay independent.
        Int(truncatingIfNeeded: ((hash >> 32) &* UInt64(shardCount)) >> 32)
    }

    private func sum(_ counter: (borrowing BucketShard) -> Int) -> Int {
        var total = 0
        for index in 0..<shardCount {
            total += shards[index].withLock { counter($0) }
        }
        return total
    }
}
