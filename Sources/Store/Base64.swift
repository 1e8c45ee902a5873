/// Unpadded base64 in both alphabets: standard (PHC strings) and URL-safe (refresh tokens).
enum Base64 {
    enum Alphabet {
        case standard, url

        var table: [UInt8] {
            let tail: [UInt8] = self == .standard ? Array("+/".utf8) : Array("-_".utf8)
            return Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8) + tail
        }
    }

    static func encode(_ bytes: [UInt8], _ alphabet: Alphabet) -> String {
        let table = alphabet.table
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= bytes.count {
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] { out.append(table[Int(group >> UInt32(shift) & 63)]) }
            index += 3
        }
        switch bytes.count - index {
        case 1:
            let group = UInt32(bytes[index]) << 16
            for shift in [18, 12] { out.append(table[Int(group >> UInt32(shift) & 63)]) }
        case 2:
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            for shift in [18, 12, 6] { out.append(table[Int(group >> UInt32(shift) & 63)]) }
        default:
            break
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Strict: no padding, no whitespace, no characters of the other alphabet, and unused trailing bits must be zero,
    /// so every byte string has exactly one accepted encoding.
    static func decode(_ text: Substring, _ alphabet: Alphabet) -> [UInt8]? {
        let table = alphabet.table
        var values: [UInt8] = []
        values.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            guard let value = table.firstIndex(of: byte) else { return nil }
            values.append(UInt8(value))
        }
        guard values.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(values.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for value in values {
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        guard accumulator == 0 else { return nil }
        return out
    }
}
