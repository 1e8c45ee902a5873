/// Durations as written in the config: "250ms", "30s", "5m", "1h", "1d" and compounds like "1h30m".
struct DurationText: Decodable {
    let value: Duration

    init(from decoder: any Decoder) throws {
        let text = try decoder.string(expecting: "a duration such as \"30s\" or \"1h30m\"")
        guard let value = DurationText.parse(text) else {
            throw decoder.invalid(
                "invalid duration \"\(text)\" (use a number with ms, s, m, h or d, largest unit first, e.g. \"250ms\", \"1h30m\")")
        }
        self.value = value
    }

    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("d", 86_400_000), ("h", 3_600_000), ("ms", 1), ("m", 60_000), ("s", 1_000),
    ]

    /// Units must appear largest first and at most once, so "30s5m" (likely a typo) is rejected.
    static func parse(_ text: String) -> Duration? {
        var bytes = Substring(text).utf8[...]
        var total: Int64 = 0
        var lastUnit = Int64.max
        guard !bytes.isEmpty else { return nil }
        while !bytes.isEmpty {
            let digits = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            guard !digits.isEmpty, digits.count <= 9, let number = Int64(Substring(digits)) else { return nil }
            bytes = bytes.dropFirst(digits.count)
            guard let unit = units.first(where: { bytes.starts(with: $0.suffix.utf8) }),
                unit.milliseconds < lastUnit
            else { return nil }
            bytes = bytes.dropFirst(unit.suffix.utf8.count)
            lastUnit = unit.milliseconds
            let (product, overflow) = number.multipliedReportingOverflow(by: unit.milliseconds)
            guard !overflow else { return nil }
            total += product
            guard total <= 3_650 * 86_400_000 else { return nil }
        }
        return .milliseconds(total)
    }

    /// The shortest config spelling of a duration ("1h30m", "250ms", "0s").
    static func format(_ duration: Duration) -> String {
        var ms = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        guard ms > 0 else { return "0s" }
        var out = ""
        for (suffix, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)] {
            if ms >= size {
                out += "\(ms / size)\(suffix)"
                ms %= size
            }
        }
        return out
    }
}
