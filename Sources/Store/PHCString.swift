/// A scrypt hash in PHC string format: `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>`, salt and hash in
/// standard base64 without padding (the PHC string format spec).
public struct PHCString: Sendable, Equatable {
    public var parameters: ScryptParameters
    public var salt: [UInt8]
    public var hash: [UInt8]

    static let saltLengths = 8...64
    static let hashLengths = 16...64

    public init(parameters: ScryptParameters, salt: [UInt8], hash: [UInt8]) {
        self.parameters = parameters
        self.salt = salt
        self.hash = hash
    }

    /// Strict parse: exactly one spelling per value (no leading zeros, no padding, fields in order), parameters and
    /// lengths within the accepted bounds; anything else is nil.
    public init?(parsing text: String) {
        let fields = text.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0].isEmpty, fields[1] == "scrypt" else { return nil }
        let settings = fields[2].split(separator: ",", omittingEmptySubsequences: false)
        guard settings.count == 3,
            let logN = Self.number(settings[0], named: "ln", in: ScryptParameters.accepted.logN),
            let r = Self.number(settings[1], named: "r", in: ScryptParameters.accepted.r),
            let p = Self.number(settings[2], named: "p", in: ScryptParameters.accepted.p),
            let salt = Base64.decode(fields[3], .standard), Self.saltLengths.contains(salt.count),
            let hash = Base64.decode(fields[4], .standard), Self.hashLengths.contains(hash.count)
        else { return nil }
        self.init(parameters: ScryptParameters(logN: logN, r: r, p: p), salt: salt, hash: hash)
    }

    public var encoded: String {
        "$scrypt$ln=\(parameters.logN),r=\(parameters.r),p=\(parameters.p)$"
            + Base64.encode(salt, .standard) + "$" + Base64.encode(hash, .standard)
    }

    private static func number(_ field: Substring, named name: String, in range: ClosedRange<Int>) -> Int? {
        let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == name else { return nil }
        let digits = parts[1].utf8
        guard (1...2).contains(digits.count), digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            digits.first != UInt8(ascii: "0")
        else { return nil }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        return range.contains(value) ? value : nil
    }
}
