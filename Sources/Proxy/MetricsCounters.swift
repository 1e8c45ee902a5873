import Synchronization

/// A fixed-size run of `UInt64` counters in one allocation, written by one thread (a worker) and read by
/// another (the admin scrape). The writer adds with a relaxed load and store instead of a read-modify-write:
/// with a single writer nothing can interleave, and a plain store is cheaper than a locked add.
///
/// `@unchecked Sendable`: the pointer is written only in `init`/`deinit`; every element is an `Atomic`.
final class CounterBlock: @unchecked Sendable {
    /// Valid while the block lives; the writer's hot path keeps it to avoid retaining the block per update.
    let base: UnsafeMutablePointer<Atomic<UInt64>>
    let count: Int

    init(count: Int) {
        self.count = max(count, 1)
        base = .allocate(capacity: self.count)
        for i in 0..<self.count { (base + i).initialize(to: Atomic(0)) }
    }

    /// A larger block starting with `old`'s values: the owner's thread calls it and then writes only the new one.
    convenience init(count: Int, copying old: CounterBlock) {
        self.init(count: max(count, old.count))
        for i in 0..<old.count { base[i].store(old.load(i), ordering: .relaxed) }
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    /// Only the single writer may call this.
    @inline(__always)
    func add(_ i: Int, _ n: UInt64 = 1) {
        base.add(i, n)
    }

    @inline(__always)
    func store(_ i: Int, _ v: UInt64) {
        base[i].store(v, ordering: .relaxed)
    }

    @inline(__always)
    func load(_ i: Int) -> UInt64 {
        base[i].load(ordering: .relaxed)
    }
}

extension UnsafeMutablePointer where Pointee == Atomic<UInt64> {
    /// The single writer's add: a relaxed load and store, no read-modify-write.
    @inline(__always)
    func add(_ i: Int, _ n: UInt64 = 1) {
        let v = self[i].load(ordering: .relaxed)
        self[i].store(v &+ n, ordering: .relaxed)
    }
}
