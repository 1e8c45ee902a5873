/// The access rules of one route: a base rule, optional overrides per HTTP method, and the issuers
/// the route accepts.
public struct RoutePolicy: Sendable {
    public var base: AccessRule
    /// Checked in order; the first entry listing the method wins. Methods compare case-sensitively,
    /// as HTTP method names do (RFC 9110 §9.1).
    public var perMethod: [(methods: [String], rule: AccessRule)]
    /// Indexes into the `IssuerSet`; nil accepts every configured issuer.
    public var issuers: [Int]?

    public init(base: AccessRule, perMethod: [(methods: [String], rule: AccessRule)] = [], issuers: [Int]? = nil) {
        self.base = base
        self.perMethod = perMethod
        self.issuers = issuers
    }

    public func rule(for method: String) -> AccessRule {
        for entry in perMethod where entry.methods.contains(method) { return entry.rule }
        return base
    }

    /// Same as `rule(for: String)`, reading the method straight from the request buffer.
    public func rule(for method: UnsafeRawBufferPointer) -> AccessRule {
        for entry in perMethod {
            for name in entry.methods where name.utf8.elementsEqual(method) { return entry.rule }
        }
        return base
    }

    /// True when any method of the route needs a token.
    public var requiresToken: Bool {
        base.requiresToken || perMethod.contains { $0.rule.requiresToken }
    }
}
