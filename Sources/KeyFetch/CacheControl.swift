/// Reads the freshness lifetime a JWKS response grants (RFC 9111 §5.2.2).
enum CacheControl {
    /// `max-age` in seconds from one Cache-Control field value; `no-store` and `no-cache` count as 0
    /// (the caller's lower bound then applies). Nil when the value says nothing about freshness or is
    /// malformed: the configured default is used rather than a guess.
    static func maxAge(_ value: UnsafeRawBufferPointer) -> Int? {
        var result: Int? = nil
        var i = 0
        let n = value.count
        while i < n {
            while i < n && (value[i] == 0x20 || value[i] == 0x09 || value[i] == UInt8(ascii: ",")) { i += 1 }
            let nameStart = i
            while i < n && value[i] != UInt8(ascii: "=") && value[i] != UInt8(ascii: ",") { i += 1 }
            let name = trimmed(value, nameStart..<i)
            var argument: Range<Int>? = nil
            if i < n && value[i] == UInt8(ascii: "=") {
                i += 1
                let argStart = i
                if i < n && value[i] == UInt8(ascii: "\"") {
                    i += 1
                    while i < n && value[i] != UInt8(ascii: "\"") { i += 1 }
                    argument = (argStart + 1)..<min(i, n)
                    if i < n { i += 1 }
                    while i < n && value[i] != UInt8(ascii: ",") { i += 1 }
                } else {
                    while i < n && value[i] != UInt8(ascii: ",") { i += 1 }
                    argument = trimmed(value, argStart..<i)
                }
            }
            if equalsLowercase(value, name, "max-age"), let argument {
                guard let seconds = decimal(value, argument) else { return nil }
                result = min(result ?? Int.max, seconds)
            } else if equalsLowercase(value, name, "no-store") || equalsLowercase(value, name, "no-cache") {
                result = 0
            }
        }
        return result
    }

    private static func trimmed(_ p: UnsafeRawBufferPointer, _ r: Range<Int>) -> Range<Int> {
        var lo = r.lowerBound
        var hi = r.upperBound
        while lo < hi && (p[lo] == 0x20 || p[lo] == 0x09) { lo += 1 }
        while hi > lo && (p[hi - 1] == 0x20 || p[hi - 1] == 0x09) { hi -= 1 }
        return lo..<hi
    }

    /// Digits only, saturating at a value far past any configured bound.
    private static func decimal(_ p: UnsafeRawBufferPointer, _ r: Range<Int>) -> Int? {
        guard !r.isEmpty else { return nil }
        var v = 0
        for i in r {
            let b = p[i]
            guard b >= 0x30 && b <= 0x39 else { return nil }
            v = min(v * 10 + Int(b - 0x30), 1 << 40)
        }
        return v
    }

    private static func equalsLowercase(_ p: UnsafeRawBufferPointer, _ r: Range<Int>, _ s: StaticString) -> Bool {
        guard r.count == s.utf8CodeUnitCount else { return false }
        for (k, i) in r.enumerated() {
            var b = p[i]
            if b >= 0x41 && b <= 0x5A { b |= 0x20 }
            if b != s.utf8Start[k] { return false }
        }
        return true
    }
}
