/// The access rules of one route: a base rule, optional overrides per HTTP method, and the issuers
/// the route accepts.
public struct RoutePolicy: Sendable {
    public var base: AccessRule
    /// Checked in order; the first entry listing the method wins (see `rule(for:)` for case and HEAD).
    public var perMethod: [(methods: [String], rule: AccessRule)]
    /// Indexes into the `IssuerSet`; nil accepts every configured issuer.
    public var issuers: [Int]?

    public init(base: AccessRule, perMethod: [(methods: [String], rule: AccessRule)] = [], issuers: [Int]? = nil) {
        self.base = base
        self.perMethod = perMethod
        self.issuers = issuers
    }

    public func rule(for method: String) -> AccessRule {
        var m = method
        return m.withUTF8 { rule(for: UnsafeRawBufferPointer($0)) }
    }

    /// The rule for a method read straight from the request buffer. Names compare ASCII
    /// case-insensitively: an API behind (Werkzeug, for one) may upper-case "delete" into DELETE, so a
    /// lower-case spelling must not escape DELETE's rule. HEAD without an entry of its own takes GET's,
    /// since servers answer HEAD by running the GET handler.
    public func rule(for method: UnsafeRawBufferPointer) -> AccessRule {
        if let r = explicitRule(method) { return r }
        if asciiEqualsIgnoringCase(method, "HEAD"), let r = explicitRule("GET") { return r }
        return base
    }

    private func explicitRule(_ method: UnsafeRawBufferPointer) -> AccessRule? {
        for entry in perMethod {
            for name in entry.methods where asciiEqualsIgnoringCase(method, name) { return entry.rule }
        }
        return nil
    }

    private func explicitRule(_ method: StaticString) -> AccessRule? {
        explicitRule(UnsafeRawBufferPointer(start: method.utf8Start, count: method.utf8CodeUnitCount))
    }

    private func asciiEqualsIgnoringCase(_ a: UnsafeRawBufferPointer, _ b: String) -> Bool {
        a.count == b.utf8.count && !zip(a, b.utf8).contains { asciiLower($0) != asciiLower($1) }
    }

    private func asciiEqualsIgnoringCase(_ a: UnsafeRawBufferPointer, _ b: StaticString) -> Bool {
        asciiEqualsIgnoringCase(a, UnsafeRawBufferPointer(start: b.utf8Start, count: b.utf8CodeUnitCount))
    }

    private func asciiEqualsIgnoringCase(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        a.count == b.count && !zip(a, b).contains { asciiLower($0) != asciiLower($1) }
    }

    private func asciiLower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }

    /// True when any method of the route needs a token.
    public var requiresToken: Bool {
        base.requiresToken || perMethod.contains { $0.rule.requiresToken }
    }
}
