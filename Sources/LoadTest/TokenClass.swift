/// The kinds of token a load test sends, each with the answer the gateway must give to it.
public enum TokenClass: Int, Sendable, CaseIterable, Comparable {
    case valid, expired, badSignature, wrongRole, missing
    /// No token mix was asked for: requests carry no Authorization and any status is accepted.
    case unchecked

    /// The names used in `--tokens` and in reports.
    public var name: String {
        switch self {
        case .valid: "valid"
        case .expired: "expired"
        case .badSignature: "bad-signature"
        case .wrongRole: "wrong-role"
        case .missing: "missing"
        case .unchecked: "unchecked"
        }
    }

    public init?(name: String) {
        guard let c = TokenClass.allCases.first(where: { $0.name == name && $0 != .unchecked }) else { return nil }
        self = c
    }

    /// The classes a `--tokens` spec may name.
    public static let mixable: [TokenClass] = [.valid, .expired, .badSignature, .wrongRole, .missing]

    /// Whether `status` is the right answer to this class; a 429 is accepted when the route may rate-limit us.
    public func accepts(status: Int, allow429: Bool) -> Bool {
        if allow429 && status == 429 { return true }
        switch self {
        case .valid: return status >= 200 && status < 300
        case .expired, .badSignature, .missing: return status == 401
        case .wrongRole: return status == 403
        case .unchecked: return true
        }
    }

    /// What the report prints as the expectation.
    public var expectation: String {
        switch self {
        case .valid: "2xx"
        case .expired, .badSignature, .missing: "401"
        case .wrongRole: "403"
        case .unchecked: "any"
        }
    }

    public static func < (a: TokenClass, b: TokenClass) -> Bool { a.rawValue < b.rawValue }
}
