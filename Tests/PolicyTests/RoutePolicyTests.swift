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
        ("post", .authenticated),
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
