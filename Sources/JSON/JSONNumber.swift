/// A JSON number: the literal as written plus its numeric readings.
public struct JSONNumber: Sendable, Equatable {
    /// The literal exactly as it appeared in the source (or as the writer will emit it).
    public let text: String
    public var double: Double
    /// Set when the number is an exact integer that fits in Int64: an integer literal, or a
    /// fraction/exponent literal whose value is integral and within ±2^53 (exactly representable).
    public var int64: Int64?

    public init(_ value: Int64) {
        text = String(value)
        double = Double(value)
        int64 = value
    }

    /// Fails for NaN and infinities, which JSON cannot represent.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        if let exact = JSONNumber.exactInteger(value) {
            self.init(exact)
        } else {
            self.init(text: String(value), double: value, int64: nil)
        }
    }

    /// Parser entry point: `text` is already known to match the RFC 8259 number grammar.
    init?(validatedText: String, isIntegerLiteral: Bool) {
        guard let value = Double(validatedText), value.isFinite else { return nil }
        let exact = isIntegerLiteral ? Int64(validatedText) : JSONNumber.exactInteger(value)
        self.init(text: validatedText, double: value, int64: exact)
    }

    /// Numeric equality: `1.0`, `1` and `1e0` are equal; integers beyond 2^53 compare exactly.
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        if let l = lhs.int64, let r = rhs.int64 { return l == r }
        return lhs.double == rhs.double
    }

    private init(text: String, double: Double, int64: Int64?) {
        self.text = text
        self.double = double
        self.int64 = int64
    }

    private static func exactInteger(_ value: Double) -> Int64? {
        guard value.rounded(.towardZero) == value, abs(value) <= 9_007_199_254_740_992 else { return nil }
        return Int64(value)
    }
}
