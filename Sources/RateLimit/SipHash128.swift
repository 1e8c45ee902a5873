/// SipHash-2-4 with 128-bit output (Aumasson & Bernstein), used to key subjects by a fixed-size digest.
enum SipHash128 {
    /// Drawn once per process from the system RNG.
    static let processKey: (UInt64, UInt64) = (UInt64.random(in: .min ... .max), UInt64.random(in: .min ... .max))

    static func hash(_ bytes: UnsafeRawBufferPointer, key: (UInt64, UInt64)) -> (UInt64, UInt64) {
        var state = State(key: key)
        let count = bytes.count
        let wholeWords = count / 8
        for w in 0..<wholeWords {
            state.compress(bytes.loadUnaligned(fromByteOffset: w * 8, as: UInt64.self).littleEndian)
        }
        var last = UInt64(truncatingIfNeeded: count) << 56
        for i in 0..<(count % 8) {
            last |= UInt64(bytes[wholeWords * 8 + i]) << UInt64(8 * i)
        }
        state.compress(last)
        state.v2 ^= 0xEE
        state.rounds(4)
        let first = state.v0 ^ state.v1 ^ state.v2 ^ state.v3
        state.v1 ^= 0xDD
        state.rounds(4)
        let second = state.v0 ^ state.v1 ^ state.v2 ^ state.v3
        return (first, second)
    }

    struct State {
        var v0: UInt64
        var v1: UInt64
        var v2: UInt64
        var v3: UInt64

        init(key: (UInt64, UInt64)) {
            v0 = key.0 ^ 0x736F_6D65_7073_6575
            v1 = key.1 ^ 0x646F_7261_6E64_6F6D ^ 0xEE
            v2 = key.0 ^ 0x6C79_6765_6E65_7261
            v3 = key.1 ^ 0x7465_6462_7974_6573
        }

        mutating func compress(_ word: UInt64) {
            v3 ^= word
            rounds(2)
            v0 ^= word
        }

        mutating func rounds(_ count: Int) {
            for _ in 0..<count {
                v0 &+= v1; v1 = rotate(v1, 13); v1 ^= v0; v0 = rotate(v0, 32)
                v2 &+= v3; v3 = rotate(v3, 16); v3 ^= v2
                v0 &+= v3; v3 = rotate(v3, 21); v3 ^= v0
                v2 &+= v1; v1 = rotate(v1, 17); v1 ^= v2; v2 = rotate(v2, 32)
            }
        }

        @inline(__always) private func rotate(_ x: UInt64, _ n: UInt64) -> UInt64 {
            x << n | x >> (64 - n)
        }
    }
}
