import Glibc

/// Bounded LRU of verified tokens keyed by the exact token bytes; owned by one `TokenVerifier`.
///
/// A hit costs one hash of the token and one memcmp: no base64, JSON or signature work, and no
/// String creation. Time claims are not cached decisions: the verifier re-checks them on every hit.
/// Hash collisions are harmless: a hit is confirmed by comparing the bytes, and inserting a colliding
/// token replaces the older entry. `Hasher` is randomly seeded per process, so an attacker cannot aim
/// tokens at one bucket.
///
/// Each entry remembers the version of its issuer's `KeySet` at verification (0 for static keys): when
/// the remote keys change, the verifier re-verifies instead of trusting the entry, so a token never
/// outlives the removal of the key that signed it.
final class TokenCache {
    private struct Entry {
        var key: Int
        var token: [UInt8]
        var value: VerifiedToken
        var keyVersion: Int
        var newer: Int32
        var older: Int32
    }

    private static let none: Int32 = -1

    let capacity: Int
    private var slots: [Int: Int32]
    private var entries: [Entry] = []
    private var newest = TokenCache.none
    private var oldest = TokenCache.none
    private var freeSlots: [Int32] = []

    private(set) var hits: UInt64 = 0
    private(set) var misses: UInt64 = 0

    init(capacity: Int) {
        self.capacity = max(0, min(capacity, Int(Int32.max)))
        slots = Dictionary(minimumCapacity: min(self.capacity, 1 << 16))
    }

    var count: Int { slots.count }

    static func key(for token: UnsafeRawBufferPointer) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: token)
        return hasher.finalize()
    }

    func lookup(_ token: UnsafeRawBufferPointer, key: Int) -> VerifiedToken? {
        lookupEntry(token, key: key)?.value
    }

    /// The cached token and the key-set version it was verified under.
    func lookupEntry(_ token: UnsafeRawBufferPointer, key: Int) -> (value: VerifiedToken, keyVersion: Int)? {
        guard let slot = slots[key] else {
            misses &+= 1
            return nil
        }
        let index = Int(slot)
        let same = entries[index].token.withUnsafeBytes { stored in
            guard stored.count == token.count else { return false }
            guard let a = stored.baseAddress, let b = token.baseAddress else { return token.isEmpty }
            return memcmp(a, b, token.count) == 0
        }
        guard same else {
            misses &+= 1
            return nil
        }
        hits &+= 1
        moveToFront(slot)
        return (entries[index].value, entries[index].keyVersion)
    }

    /// Turns the last hit into a miss: the entry was found but could not be used (its keys changed).
    func recountAsMiss() {
        hits &-= 1
        misses &+= 1
    }

    func insert(_ token: UnsafeRawBufferPointer, key: Int, value: VerifiedToken, keyVersion: Int = 0) {
        guard capacity > 0 else { return }
        if let slot = slots[key] {
            entries[Int(slot)].token = Array(token)
            entries[Int(slot)].value = value
            entries[Int(slot)].keyVersion = keyVersion
            moveToFront(slot)
            return
        }
        let slot: Int32
        if let reused = freeSlots.popLast() {
            slot = reused
            entries[Int(slot)] = Entry(key: key, token: Array(token), value: value, keyVersion: keyVersion, newer: Self.none, older: Self.none)
        } else if entries.count < capacity {
            slot = Int32(entries.count)
            entries.append(Entry(key: key, token: Array(token), value: value, keyVersion: keyVersion, newer: Self.none, older: Self.none))
        } else {
            slot = oldest
            unlink(slot)
            slots[entries[Int(slot)].key] = nil
            entries[Int(slot)] = Entry(key: key, token: Array(token), value: value, keyVersion: keyVersion, newer: Self.none, older: Self.none)
        }
        slots[key] = slot
        linkAtFront(slot)
    }

    func remove(key: Int) {
        guard let slot = slots.removeValue(forKey: key) else { return }
        unlink(slot)
        entries[Int(slot)].token = []
        freeSlots.append(slot)
    }

    private func moveToFront(_ slot: Int32) {
        guard slot != newest else { return }
        unlink(slot)
        linkAtFront(slot)
    }

    private func linkAtFront(_ slot: Int32) {
        entries[Int(slot)].older = newest
        entries[Int(slot)].newer = Self.none
        if newest != Self.none { entries[Int(newest)].newer = slot }
        newest = slot
        if oldest == Self.none { oldest = slot }
    }

    private func unlink(_ slot: Int32) {
        let newer = entries[Int(slot)].newer
        let older = entries[Int(slot)].older
        if newer != Self.none { entries[Int(newer)].older = older } else { newest = older }
        if older != Self.none { entries[Int(older)].newer = newer } else { oldest = newer }
        entries[Int(slot)].newer = Self.none
        entries[Int(slot)].older = Self.none
    }
}
