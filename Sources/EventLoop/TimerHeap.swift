/// A binary min-heap of (deadline, fd, generation). Handlers keep their own current deadline and only push
/// when it moves earlier than what is already queued; a popped entry whose handler's deadline moved later is
/// re-queued by the handler. So a keep-alive connection that extends its deadline on every request costs no
/// heap work at all, and stale entries are bounded by the number of "earlier" moves (as nginx's timer tree).
struct TimerHeap {
    struct Entry {
        var deadline: UInt64
        var fd: Int32
        var generation: UInt32
    }

    private(set) var entries: [Entry] = []

    init() { entries.reserveCapacity(1024) }

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }
    var earliest: UInt64? { entries.first?.deadline }

    mutating func push(_ e: Entry) {
        entries.append(e)
        var i = entries.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if entries[parent].deadline <= entries[i].deadline { break }
            entries.swapAt(parent, i)
            i = parent
        }
    }

    /// Removes and returns the earliest entry if it is due at `now`.
    mutating func popDue(now: UInt64) -> Entry? {
        guard let first = entries.first, first.deadline <= now else { return nil }
        let last = entries.removeLast()
        if entries.isEmpty { return first }
        entries[0] = last
        var i = 0
        let n = entries.count
        while true {
            let l = 2 * i + 1
            if l >= n { break }
            var m = l
            let r = l + 1
            if r < n && entries[r].deadline < entries[l].deadline { m = r }
            if entries[i].deadline <= entries[m].deadline { break }
            entries.swapAt(i, m)
            i = m
        }
        return first
    }
}
