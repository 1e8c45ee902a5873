/// Cursor over the input; one per parse.
struct JSONReader {
    private let bytes: UnsafeRawBufferPointer
    private let maxDepth: Int
    private var index = 0
    /// Reused for strings that contain escapes; strings without escapes are decoded in place.
    private var scratch: [UInt8] = []

    /// Above this many members an object switches from a linear duplicate scan to a set.
    private static let linearDuplicateScanLimit = 16

    init(bytes: UnsafeRawBufferPointer, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw error("unexpected data after the JSON value") }
        return value
    }

    // MARK: values

    private mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
        guard index < bytes.count else { throw error("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object(try parseObject(depth: depth + 1))
        case UInt8(ascii: "["): return .array(try parseArray(depth: depth + 1))
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("unexpected character")
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONError) -> JSONObject {
        guard depth <= maxDepth else { throw error("nesting deeper than \(maxDepth)") }
        index += 1
        var members: [(key: String, value: JSONValue)] = []
        var seen: Set<String>? = nil
        skipWhitespace()
        if peek(UInt8(ascii: "}")) {
            index += 1
            return JSONObject(members: members)
        }
        while true {
            guard peek(UInt8(ascii: "\"")) else {
                throw error(peek(UInt8(ascii: "}")) ? "trailing comma in object" : "expected a member name")
            }
            let keyOffset = index
            let key = try parseString()
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else { throw error("expected ':' after a member name") }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            // Duplicate names are rejected because JSON readers disagree on which one wins; a
            // verifier and a backend reading different values of one claim is an auth bypass.
            if isDuplicate(key, in: members, seen: &seen) {
                throw error("duplicate member name \(JSONWriter.serialize(.string(String(key.prefix(64)))))", at: keyOffset)
            }
            members.append((key: key, value: value))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in object") }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                index += 1
                return JSONObject(members: members)
            default:
                throw error("expected ',' or '}' in object")
            }
        }
    }

    /// Compares with String equality (Unicode canonical equivalence), which is stricter than a byte
    /// comparison: names that render identically are duplicates too.
    private func isDuplicate(
        _ key: String, in members: [(key: String, value: JSONValue)], seen: inout Set<String>?
    ) -> Bool {
        if seen == nil && members.count >= JSONReader.linearDuplicateScanLimit {
            seen = Set(members.map(\.key))
        }
        if seen != nil { return seen?.insert(key).inserted == false }
        return members.contains { $0.key == key }
    }

    private mutating func parseArray(depth: Int) throws(JSONError) -> [JSONValue] {
        guard depth <= maxDepth else { throw error("nesting deeper than \(maxDepth)") }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) {
            index += 1
            return elements
        }
        while true {
            if peek(UInt8(ascii: "]")) { throw error("trailing comma in array") }
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in array") }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                index += 1
                return elements
            default:
                throw error("expected ',' or ']' in array")
            }
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw error("invalid literal") }
        let expected = UnsafeRawBufferPointer(start: literal.utf8Start, count: count)
        for i in 0..<count where bytes[index + i] != expected[i] {
            throw error("invalid literal")
        }
        index += count
    }

    // MARK: numbers

    private mutating func parseNumber() throws(JSONError) -> JSONNumber {
        let start = index
        var isInteger = true
        if peek(UInt8(ascii: "-")) { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw error("leading zero in number") }
        } else {
            skipDigits()
        }
        if peek(UInt8(ascii: ".")) {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit after '.'") }
            skipDigits()
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            isInteger = false
            index += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit in exponent") }
            skipDigits()
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let number = JSONNumber(validatedText: text, isIntegerLiteral: isInteger) else {
            throw error("number out of range", at: start)
        }
        return number
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    // MARK: strings

    private mutating func parseString() throws(JSONError) -> String {
        let quoteOffset = index
        index += 1
        let start = index
        var runStart = start
        var escaped = false
        while index < bytes.count {
            let b = bytes[index]
            switch b {
            case UInt8(ascii: "\""):
                defer { index += 1 }
                if !escaped {
                    return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                }
                scratch.append(contentsOf: bytes[runStart..<index])
                return String(decoding: scratch, as: UTF8.self)
            case UInt8(ascii: "\\"):
                if !escaped {
                    scratch.removeAll(keepingCapacity: true)
                    escaped = true
                }
                scratch.append(contentsOf: bytes[runStart..<index])
                try parseEscape()
                runStart = index
            case 0..<0x20:
                throw error("control character in string")
            case 0..<0x80:
                index += 1
            default:
                try skipUTF8Sequence()
            }
        }
        throw error("unterminated string", at: quoteOffset)
    }

    /// Appends the unescaped bytes to `scratch`; `index` is at the backslash.
    private mutating func parseEscape() throws(JSONError) {
        guard index + 1 < bytes.count else { throw error("unterminated escape") }
        let c = bytes[index + 1]
        let simple: UInt8
        switch c {
        case UInt8(ascii: "\""): simple = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): simple = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): simple = UInt8(ascii: "/")
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"):
            try parseUnicodeEscape()
            return
        default:
            throw error("invalid escape")
        }
        scratch.append(simple)
        index += 2
    }

    private mutating func parseUnicodeEscape() throws(JSONError) {
        let first = try hex4(at: index + 2)
        var scalarValue = UInt32(first)
        var length = 6
        switch first {
        case 0xD800...0xDBFF:
            guard index + 7 < bytes.count, bytes[index + 6] == UInt8(ascii: "\\"), bytes[index + 7] == UInt8(ascii: "u")
            else { throw error("lone surrogate in \\u escape") }
            let second = try hex4(at: index + 8)
            guard (0xDC00...0xDFFF).contains(second) else { throw error("lone surrogate in \\u escape") }
            scalarValue = 0x10000 + ((UInt32(first) - 0xD800) << 10) + (UInt32(second) - 0xDC00)
            length = 12
        case 0xDC00...0xDFFF:
            throw error("lone surrogate in \\u escape")
        default:
            break
        }
        guard let scalar = Unicode.Scalar(scalarValue) else { throw error("invalid \\u escape") }
        scratch.append(contentsOf: UTF8.encode(scalar) ?? UTF8.EncodedScalar())
        index += length
    }

    private func hex4(at offset: Int) throws(JSONError) -> UInt16 {
        guard offset + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt16 = 0
        for i in offset..<offset + 4 {
            let b = bytes[i]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw error("invalid hex digit in \\u escape", at: i)
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    /// Validates one multi-byte UTF-8 sequence at `index` (RFC 3629: no overlongs, no surrogates,
    /// nothing above U+10FFFF) and steps over it.
    private mutating func skipUTF8Sequence() throws(JSONError) {
        let lead = bytes[index]
        let secondRange: ClosedRange<UInt8>
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2; secondRange = 0x80...0xBF
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3; secondRange = 0x80...0xBF
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4; secondRange = 0x80...0xBF
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: throw error("invalid UTF-8")
        }
        guard index + length <= bytes.count, secondRange.contains(bytes[index + 1]) else {
            throw error("invalid UTF-8")
        }
        for i in index + 2..<index + length where bytes[i] & 0xC0 != 0x80 {
            throw error("invalid UTF-8")
        }
        index += length
    }

    // MARK: helpers

    private func peek(_ b: UInt8) -> Bool { index < bytes.count && bytes[index] == b }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func error(_ message: String, at offset: Int? = nil) -> JSONError {
        let offset = min(offset ?? index, bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0..<offset where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return JSONError(message: message, offset: offset, line: line, column: offset - lineStart + 1)
    }
}
