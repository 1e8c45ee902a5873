/// One X-Forwarded-For list element, parsed in place.
enum ForwardedElement {
    /// `value[start..<end]` without surrounding spaces and tabs.
    static func trimmed(_ value: UnsafeRawBufferPointer, from start: Int, to end: Int) -> UnsafeRawBufferPointer {
        var lower = max(start, 0)
        var upper = end
        while lower < upper && isWhitespace(value[lower]) { lower += 1 }
        while upper > lower && isWhitespace(value[upper - 1]) { upper -= 1 }
        return UnsafeRawBufferPointer(rebasing: value[lower..<upper])
    }

    /// The address in `v4`, `v6`, `v4:port`, `[v6]` or `[v6]:port`; nil for anything else.
    static func address(_ element: UnsafeRawBufferPointer) -> IPAddress? {
        let count = element.count
        guard count > 0 else { return nil }
        if element[0] == UInt8(ascii: "[") {
            var close = 1
            while close < count && element[close] != UInt8(ascii: "]") { close += 1 }
            guard close < count else { return nil }
            if close + 1 < count {
                guard element[close + 1] == UInt8(ascii: ":"), isPort(element, from: close + 2) else { return nil }
            }
            // Brackets are only for IPv6 text, which always contains a colon.
            let inner = UnsafeRawBufferPointer(rebasing: element[1..<close])
            guard inner.contains(UInt8(ascii: ":")) else { return nil }
            return IPAddress.parseIPv6(inner)
        }
        var colons = 0
        var lastColon = 0
        for i in 0..<count where element[i] == UInt8(ascii: ":") {
            colons += 1
            lastColon = i
        }
        if colons == 1 {
            guard isPort(element, from: lastColon + 1),
                let v4 = IPAddress.parseIPv4(element, from: 0, to: lastColon)
            else { return nil }
            return IPAddress(ipv4Value: v4)
        }
        return IPAddress(bytes: element)
    }

    /// 1–5 decimal digits up to the end, value ≤ 65535.
    private static func isPort(_ element: UnsafeRawBufferPointer, from start: Int) -> Bool {
        let digits = element.count - start
        guard (1...5).contains(digits) else { return false }
        var value = 0
        for i in start..<element.count {
            guard let digit = IPAddress.decimalDigit(element[i]) else { return false }
            value = value * 10 + Int(digit)
        }
        return value <= 65535
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }
}
