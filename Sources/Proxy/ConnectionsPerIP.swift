import RateLimit
import Synchronization

/// Open connections per client address, shared by all workers (a client's connections land on different
/// workers). Sharded by address so accepts on different workers rarely meet on one lock. Entries exist only
/// while an address has open connections, so memory is bounded by the connection limit.
final class ConnectionsPerIP: Sendable {
    private final class Shard: Sendable {
        let table = Mutex<[IPAddress: Int]>([:])
    }
    private let shards: [Shard]

    init(shardCount: Int = 32) {
        shards = (0..<shardCount).map { _ in Shard() }
    }

    private func shard(_ ip: IPAddress) -> Int {
        var h = Hasher()
        h.combine(ip)
        return Int(UInt(bitPattern: h.finalize()) % UInt(shards.count))
    }

    /// Counts a new connection from `ip`; false (and nothing counted) when it would exceed `limit`.
    func acquire(_ ip: IPAddress, limit: Int) -> Bool {
        shards[shard(ip)].table.withLock { table in
            let n = table[ip, default: 0]
            if n >= limit { return false }
            table[ip] = n + 1
            return true
        }
    }

    func release(_ ip: IPAddress) {
        shards[shard(ip)].table.withLock { table in
            guard let n = table[ip] else { return }
            if n <= 1 { table[ip] = nil } else { table[ip] = n - 1 }
        }
    }

    func count(_ ip: IPAddress) -> Int {
        shards[shard(ip)].table.withLock { $0[ip, default: 0] }
    }
}
