/// Byte classes as 128-bit masks (two words), so each test is a shift and an AND with no memory lookup.
enum ASCII {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let sp: UInt8 = 0x20
    static let htab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let slash: UInt8 = 0x2F
    static let percent: UInt8 = 0x25
    static let question: UInt8 = 0x3F
    static let dot: UInt8 = 0x2E
    static let comma: UInt8 = 0x2C
    static let semicolon: UInt8 = 0x3B
    static let equals: UInt8 = 0x3D
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C

    // RFC 9110 §5.6.2 tchar.
    private static let tcharLo: UInt64 = 0x03FF_6CFA_0000_0000
    private static let tcharHi: UInt64 = 0x57FF_FFFF_C7FF_FFFE
    // RFC 3986 origin-form target bytes: unreserved, sub-delims, ":", "@", "/", "?", "%".
    private static let targetLo: UInt64 = 0xAFFF_FFF2_0000_0000
    private static let targetHi: UInt64 = 0x47FF_FFFE_87FF_FFFF
    // RFC 3986 pchar without "%" (percent-encoding is decoded separately).
    private static let pcharLo: UInt64 = 0x2FFF_7FD2_0000_0000
    private static let pcharHi: UInt64 = 0x47FF_FFFE_87FF_FFFF
    // RFC 3986 unreserved.
    private static let unreservedLo: UInt64 = 0x03FF_6000_0000_0000
    private static let unreservedHi: UInt64 = 0x47FF_FFFE_87FF_FFFE

    @inline(__always)
    private static func inMask(_ b: UInt8, _ lo: UInt64, _ hi: UInt64) -> Bool {
        if b < 64 { return (lo >> UInt64(b)) & 1 != 0 }
        if b < 128 { return (hi >> UInt64(b &- 64)) & 1 != 0 }
        return false
    }

    @inline(__always) static func isTchar(_ b: UInt8) -> Bool { inMask(b, tcharLo, tcharHi) }
    @inline(__always) static func isTargetByte(_ b: UInt8) -> Bool { inMask(b, targetLo, targetHi) }
    @inline(__always) static func isPchar(_ b: UInt8) -> Bool { inMask(b, pcharLo, pcharHi) }
    @inline(__always) static func isUnreserved(_ b: UInt8) -> Bool { inMask(b, unreservedLo, unreservedHi) }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inline(__always) static func isWhitespace(_ b: UInt8) -> Bool { b == sp || b == htab }

    /// RFC 9110 §5.5 field-vchar, SP and HTAB: everything except CTLs (HTAB aside) and DEL.
    @inline(__always) static func isFieldValueByte(_ b: UInt8) -> Bool { (b >= 0x20 && b != 0x7F) || b == htab }

    @inline(__always)
    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b &- 0x30
        case 0x41...0x46: return b &- 0x37
        case 0x61...0x66: return b &- 0x57
        default: return nil
        }
    }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }

    /// Exact (case-sensitive) match of `literal` at `start`; stops at the first mismatch, so it never reads past a CR.
    static func matches(_ p: UnsafeRawBufferPointer, _ start: Int, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard start >= 0, start + n <= p.count else { return false }
        let l = literal.utf8Start
        for k in 0..<n where p[start + k] != l[k] { return false }
        return true
    }

    /// Case-insensitive comparison of the bytes in `range` with a lowercase ASCII literal.
    static func equalsLowercase(_ p: UnsafeRawBufferPointer, _ range: Range<Int>, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard range.count == n else { return false }
        let l = literal.utf8Start
        var k = 0
        var i = range.lowerBound
        while k < n {
            if lower(p[i]) != l[k] { return false }
            k += 1
            i += 1
        }
        return true
    }

    /// Case-insensitive "starts with" against a lowercase ASCII literal.
    static func hasLowercasePrefix(_ p: UnsafeRawBufferPointer, _ range: Range<Int>, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard range.count >= n else { return false }
        return equalsLowercase(p, range.lowerBound..<(range.lowerBound + n), literal)
    }
}
