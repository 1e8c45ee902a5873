extension IPAddress {
    /// Parses a bare address: dotted-quad IPv4 or RFC 4291 IPv6 text (with `::` and a trailing dotted IPv4).
    /// No brackets, ports or zone IDs. IPv4 octets with leading zeros (`010.0.0.1`) are rejected, because
    /// inet_aton would read them as octal and a proxy and this gateway must never disagree about who a client is.
    public init?(parsing text: some StringProtocol) {
        let parsed: IPAddress?? = text.utf8.withContiguousStorageIfAvailable { buffer in
            IPAddress(bytes: UnsafeRawBufferPointer(buffer))
        }
        if let parsed {
            guard let parsed else { return nil }
            self = parsed
            return
        }
        let copy = Array(text.utf8)
        guard let address = copy.withUnsafeBytes({ IPAddress(bytes: $0) }) else { return nil }
        self = address
    }

    /// Parses ASCII address text in place, without allocating (the X-Forwarded-For path).
    public init?(bytes: UnsafeRawBufferPointer) {
        var hasColon = false
        for byte in bytes where byte == UInt8(ascii: ":") {
            hasColon = true
            break
        }
        if hasColon {
            guard let address = Self.parseIPv6(bytes) else { return nil }
            self = address
        } else {
            guard let value = Self.parseIPv4(bytes, from: 0, to: bytes.count) else { return nil }
            self.init(ipv4Value: value)
        }
    }

    /// Strict dotted quad over `bytes[start..<end]`: four decimal octets, 1–3 digits, no leading zeros, ≤ 255.
    static func parseIPv4(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> UInt32? {
        var value: UInt32 = 0
        var octets = 0
        var i = start
        while true {
            var octet: UInt32 = 0
            var digits = 0
            let octetStart = i
            while i < end, let digit = decimalDigit(bytes[i]) {
                octet = octet * 10 + UInt32(digit)
                digits += 1
                i += 1
                if digits > 3 { return nil }
            }
            if digits == 0 || octet > 255 { return nil }
            if digits > 1 && bytes[octetStart] == UInt8(ascii: "0") { return nil }
            value = value << 8 | octet
            octets += 1
            if octets == 4 { return i == end ? value : nil }
            guard i < end, bytes[i] == UInt8(ascii: ".") else { return nil }
            i += 1
        }
    }

    static func parseIPv6(_ bytes: UnsafeRawBufferPointer) -> IPAddress? {
        let end = bytes.count
        let colon = UInt8(ascii: ":")
        // Groups before `::` go to `head`, after it to `tail`; the gap is filled with zeros at the end.
        var head: UInt128 = 0
        var headCount = 0
        var tail: UInt128 = 0
        var tailCount = 0
        var compressed = false
        var i = 0
        if end >= 2 && bytes[0] == colon && bytes[1] == colon {
            compressed = true
            i = 2
        } else if end == 0 || bytes[0] == colon {
            return nil
        }
        while i < end {
            let pieceStart = i
            var group: UInt32 = 0
            var digits = 0
            while i < end, let digit = hexDigit(bytes[i]) {
                group = group << 4 | UInt32(digit)
                digits += 1
                i += 1
                if digits > 4 { return nil }
            }
            if i < end && bytes[i] == UInt8(ascii: ".") {
                // A trailing dotted IPv4 fills the last two groups; it must end the text.
                guard let v4 = parseIPv4(bytes, from: pieceStart, to: end) else { return nil }
                if compressed {
                    tail = tail << 32 | UInt128(v4)
                    tailCount += 2
                } else {
                    head = head << 32 | UInt128(v4)
                    headCount += 2
                }
                i = end
                break
            }
            if digits == 0 { return nil }
            if compressed {
                tail = tail << 16 | UInt128(group)
                tailCount += 1
            } else {
                head = head << 16 | UInt128(group)
                headCount += 1
            }
            if headCount + tailCount > 8 { return nil }
            if i == end { break }
            guard bytes[i] == colon else { return nil }
            i += 1
            if i < end && bytes[i] == colon {
                if compressed { return nil }
                compressed = true
                i += 1
            } else if i == end {
                return nil
            }
        }
        let total = headCount + tailCount
        let value: UInt128
        if compressed {
            // `::` stands for at least one zero group.
            guard total <= 7 else { return nil }
            value = headCount == 0 ? tail : head << UInt128(16 * (8 - headCount)) | tail
        } else {
            guard total == 8 else { return nil }
            value = head
        }
        return IPAddress(high: UInt64(truncatingIfNeeded: value >> 64), low: UInt64(truncatingIfNeeded: value))
    }

    @inline(__always) static func decimalDigit(_ byte: UInt8) -> UInt8? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : nil
    }

    @inline(__always) static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
