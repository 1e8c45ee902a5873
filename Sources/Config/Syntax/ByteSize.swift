/// Sizes: a JSON integer of bytes, or a string with a unit ("64KiB", "10MiB", "1GiB", "500kB", "1MB", "512B").
struct ByteSize: Decodable {
    let bytes: Int

    init(from decoder: any Decoder) throws {
        let expected = "a size (integer bytes or a string such as \"64KiB\" or \"10MB\")"
        switch decoder.jsonValue {
        case .number(let n)?:
            guard let value = n.int64, value >= 0, let bytes = Int(exactly: value) else {
                throw decoder.invalid("invalid size \(n.text) (expected a whole number of bytes)")
            }
            self.bytes = bytes
        case .string(let text)?:
            guard let bytes = ByteSize.parse(text) else {
                throw decoder.invalid("invalid size \"\(text)\" (use a number with B, kB, KiB, MB, MiB, GB or GiB)")
            }
            self.bytes = bytes
        default:
            throw decoder.mismatch(expected)
        }
    }

    // Exact spellings only: "KB" or "mb" are ambiguous between SI and binary units.
    private static let units: [(suffix: String, factor: Int)] = [
        ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("kB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000),
        ("B", 1),
    ]

    static func parse(_ text: String) -> Int? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 12, let number = Int(digits) else { return nil }
        let suffix = text.dropFirst(digits.count)
        guard let unit = units.first(where: { $0.suffix == suffix }) else { return nil }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: unit.factor)
        return overflow ? nil : bytes
    }

    /// Binary units when exact ("64KiB"), otherwise bytes.
    static func format(_ bytes: Int) -> String {
        for (suffix, factor) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] where bytes >= factor && bytes % factor == 0 {
            return "\(bytes / factor)\(suffix)"
        }
        return "\(bytes)B"
    }
}
