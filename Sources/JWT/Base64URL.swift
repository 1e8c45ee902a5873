/// base64url without padding (RFC 7515 §2, RFC 4648 §5), decoded strictly.
///
/// Strictness matters at a security boundary: a lenient decoder accepts many spellings of one
/// token (padding, stray characters, non-zero trailing bits), which defeats byte-keyed caches and
/// lets two components disagree about what was signed.
public enum Base64URL {
    /// Decodes `input` into `out`, replacing its contents (capacity is kept, so a per-worker buffer
    /// allocates only while it grows). Returns false for any non-canonical input.
    public static func decode(_ input: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        out.removeAll(keepingCapacity: true)
        let remainder = input.count % 4
        guard remainder != 1 else { return false }
        out.reserveCapacity(input.count / 4 * 3 + 2)
        var i = 0
        let fullEnd = input.count - remainder
        while i < fullEnd {
            guard let a = value(input[i]), let b = value(input[i + 1]), let c = value(input[i + 2]),
                let d = value(input[i + 3])
            else { return false }
            let word = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
            out.append(UInt8(truncatingIfNeeded: word >> 16))
            out.append(UInt8(truncatingIfNeeded: word >> 8))
            out.append(UInt8(truncatingIfNeeded: word))
            i += 4
        }
        switch remainder {
        case 2:
            guard let a = value(input[i]), let b = value(input[i + 1]), b & 0x0F == 0 else { return false }
            out.append(a << 2 | b >> 4)
        case 3:
            guard let a = value(input[i]), let b = value(input[i + 1]), let c = value(input[i + 2]), c & 0x03 == 0
            else { return false }
            out.append(a << 2 | b >> 4)
            out.append((b & 0x0F) << 4 | c >> 2)
        default:
            break
        }
        return true
    }

    public static func decode(_ input: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        let ok = input.withUnsafeBytes { decode($0, into: &out) }
        return ok ? out : nil
    }

    public static func decode(_ text: String) -> [UInt8]? {
        decode(Array(text.utf8))
    }

    /// Appends the unpadded base64url encoding of `bytes` to `out`.
    public static func encode(_ bytes: some Collection<UInt8>, into out: inout [UInt8]) {
        var iterator = bytes.makeIterator()
        while let a = iterator.next() {
            let b = iterator.next()
            let c = iterator.next()
            out.append(symbol(a >> 2))
            out.append(symbol((a & 0x03) << 4 | (b ?? 0) >> 4))
            guard let b else { return }
            out.append(symbol((b & 0x0F) << 2 | (c ?? 0) >> 6))
            guard let c else { return }
            out.append(symbol(c & 0x3F))
        }
    }

    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        encode(bytes, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    private static func value(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): c - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): c - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: nil
        }
    }

    @inline(__always)
    private static func symbol(_ v: UInt8) -> UInt8 {
        switch v {
        case 0..<26: UInt8(ascii: "A") + v
        case 26..<52: UInt8(ascii: "a") + v - 26
        case 52..<62: UInt8(ascii: "0") + v - 52
        case 62: UInt8(ascii: "-")
        default: UInt8(ascii: "_")
        }
    }
}
