import Testing

@testable import Policy

struct RoutePolicyTests {
    static let writers = AccessRule.claims(roles: .any(["writer"]), scopes: nil)
    static let policy = RoutePolicy(
        base: .authenticated,
        perMethod: [(methods: ["POST", "PUT"], rule: writers), (methods: ["OPTIONS", "POST"], rule: .publicAccess)],
        issuers: [1])

    @Test(arguments: [
        ("GET", AccessRule.authenticated), ("POST", writers), ("PUT", writers), ("OPTIONS", .publicAccess),
        // Case-insensitive on purpose: an API behind may upper-case "post" into POST.
        ("post", writers),
    ])
    func picksTheFirstMatchingMethodRule(method: String, expected: AccessRule) {
        #expect(Self.policy.rule(for: method) == expected)
        let bytes = Array(method.utf8)
        #expect(bytes.withUnsafeBytes { Self.policy.rule(for: $0) } == expected)
    }

    @Test func requiresTokenWhenAnyMethodDoes() {
        #expect(Self.policy.requiresToken)
        #expect(!RoutePolicy(base: .publicAccess).requiresToken)
        #expect(RoutePolicy(base: .publicAccess, perMethod: [(methods: ["DELETE"], rule: .authenticated)]).requiresToken)
        #expect(!AccessRule.publicAccess.requiresToken)
        #expect(Self.writers.requiresToken)
    }
}

/// Review findings: HEAD takes GET's rule when it has none of its own; method names compare
/// case-insensitively so "delete" cannot escape DELETE's rule.
@Test func headAndLowercaseMethodsTakeTheStricterRule() {
    let admin = AccessRule.claims(roles: .any(["admin"]), scopes: nil)
    let policy = RoutePolicy(base: .authenticated, perMethod: [(methods: ["GET"], rule: admin), (methods: ["DELETE"], rule: admin)])
    #expect(policy.rule(for: "HEAD") == admin)
    #expect(policy.rule(for: "delete") == admin)
    #expect(policy.rule(for: "Get") == admin)
    #expect(policy.rule(for: "POST") == .authenticated)
    let withHead = RoutePolicy(base: .authenticated, perMethod: [(methods: ["HEAD"], rule: .publicAccess), (methods: ["GET"], rule: admin)])
    #expect(withHead.rule(for: "HEAD") == .publicAccess)
}
