/// A rate such as "100/s", "6000/m", "6000/min", "10/h" or "1000/d".
public struct RateSpec: Sendable, Equatable, Decodable, CustomStringConvertible {
    /// Tokens added per second.
    public var perSecond: Double
    /// The text as written, for messages and summaries.
    public var text: String
    public var description: String { text }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.string(expecting: "a rate such as \"100/s\"")
        guard let rate = RateSpec.parse(text) else {
            throw decoder.invalid("invalid rate \"\(text)\" (use a positive whole count per s, m, min, h or d, e.g. \"100/s\")")
        }
        self = rate
    }

    init(perSecond: Double, text: String) {
        self.perSecond = perSecond
        self.text = text
    }

    private static let units: [String: Double] = ["s": 1, "m": 60, "min": 60, "h": 3_600, "d": 86_400]

    static func parse(_ text: String) -> RateSpec? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 9,
            parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(parts[0]), count > 0,
            let seconds = units[String(parts[1])]
        else { return nil }
        return RateSpec(perSecond: Double(count) / seconds, text: text)
    }
}
