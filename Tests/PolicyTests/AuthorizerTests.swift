import JSON
import JWT
import Testing

@testable import Policy

struct AuthorizerTests {
    static func token(_ json: String) throws -> VerifiedToken {
        VerifiedToken(issuerIndex: 0, claims: try #require(try JSONParser.parse(json).objectValue))
    }

    static func profile(roles: String = "roles", scopes: String = "scope") throws -> IssuerProfile {
        IssuerProfile(
            name: "idp", issuer: "https://idp.example", keys: [],
            rolesClaim: try #require(ClaimPath(roles)), scopesClaim: try #require(ClaimPath(scopes)))
    }

    @Test(arguments: [
        (RoleRule.any(["admin", "ops"]), ["reader", "ops"], PolicyDecision.allow),
        (.any(["admin", "ops"]), ["reader"], .deny(missing: ["role:admin", "role:ops"])),
        (.any([]), ["reader"], .deny(missing: ["role:(none listed)"])),
        (.all(["admin", "ops"]), ["ops", "admin", "x"], .allow),
        (.all(["admin", "ops"]), ["ops"], .deny(missing: ["role:admin"])),
        (.all([]), [], .allow),
    ])
    func anyAndAll(rule: RoleRule, roles: [String], expected: PolicyDecision) throws {
        let list = roles.map { "\"\($0)\"" }.joined(separator: ",")
        let token = try Self.token(#"{"roles":[\#(list)]}"#)
        let decision = Authorizer.evaluate(.claims(roles: rule, scopes: nil), token: token, profile: try Self.profile())
        #expect(decision == expected)
    }

    @Test func publicAndAuthenticatedAlwaysAllowAVerifiedToken() throws {
        let token = try Self.token("{}")
        #expect(Authorizer.evaluate(.publicAccess, token: token, profile: try Self.profile()) == .allow)
        #expect(Authorizer.evaluate(.authenticated, token: token, profile: try Self.profile()) == .allow)
        #expect(Authorizer.evaluate(.claims(roles: nil, scopes: nil), token: token, profile: try Self.profile()) == .allow)
    }

    @Test func keycloakRealmAndClientRoles() throws {
        let token = try Self.token(
            #"{"realm_access":{"roles":["offline_access","user"]},"resource_access":{"my-client":{"roles":["editor"]}}}"#)
        let realm = try Self.profile(roles: "realm_access.roles")
        #expect(Authorizer.evaluate(.claims(roles: .all(["user"]), scopes: nil), token: token, profile: realm) == .allow)
        #expect(
            Authorizer.evaluate(.claims(roles: .any(["editor"]), scopes: nil), token: token, profile: realm)
                == .deny(missing: ["role:editor"]))
        let client = try Self.profile(roles: "resource_access.my-client.roles")
        #expect(Authorizer.evaluate(.claims(roles: .any(["editor"]), scopes: nil), token: token, profile: client) == .allow)
    }

    @Test func auth0PermissionsAndNamespacedRoles() throws {
        let token = try Self.token(
            #"{"permissions":["read:orders","write:orders"],"https://example.com/roles":["admin"],"scope":"openid"}"#)
        let permissions = try Self.profile(roles: #"["https://example.com/roles"]"#, scopes: "permissions")
        let rule = AccessRule.claims(roles: .any(["admin"]), scopes: .all(["read:orders", "write:orders"]))
        #expect(Authorizer.evaluate(rule, token: token, profile: permissions) == .allow)
        let denied = AccessRule.claims(roles: .any(["root"]), scopes: .all(["delete:orders"]))
        #expect(
            Authorizer.evaluate(denied, token: token, profile: permissions)
                == .deny(missing: ["role:root", "scope:delete:orders"]))
    }

    @Test func scopeStringAndScpArray() throws {
        let rule = AccessRule.claims(roles: nil, scopes: .all(["read", "write"]))
        let spaced = try Self.token(#"{"scope":"openid read write"}"#)
        #expect(Authorizer.evaluate(rule, token: spaced, profile: try Self.profile()) == .allow)
        let scp = try Self.token(#"{"scp":["read","write"]}"#)
        #expect(Authorizer.evaluate(rule, token: scp, profile: try Self.profile(scopes: "scp")) == .allow)
        let partial = try Self.token(#"{"scope":"read"}"#)
        #expect(Authorizer.evaluate(rule, token: partial, profile: try Self.profile()) == .deny(missing: ["scope:write"]))
        // A scope string is not substring-matched: "readwrite" is neither "read" nor "write".
        let glued = try Self.token(#"{"scope":"readwrite"}"#)
        #expect(Authorizer.evaluate(rule, token: glued, profile: try Self.profile()) != .allow)
    }

    @Test func explainListsEveryCheck() throws {
        let token = try Self.token(#"{"roles":["reader"],"scope":"read"}"#)
        let rule = AccessRule.claims(roles: .any(["admin"]), scopes: .all(["read"]))
        let (decision, lines) = Authorizer.explain(rule, token: token, profile: try Self.profile())
        #expect(decision == .deny(missing: ["role:admin"]))
        #expect(
            lines == [
                "roles any [admin] ← token has [reader] (claim roles): fail",
                "scopes all [read] ← token has [read] (claim scope): pass",
            ])
        #expect(Authorizer.explain(.publicAccess, token: token, profile: try Self.profile()).lines == ["public: pass"])
    }
}

/// Roles compare as exact bytes (RFC 7519): the Kelvin sign U+212A is not "K".
@Test func rolesCompareExactBytes() throws {
    guard case .object(let claims) = try JSONParser.parse(#"{"roles": ["\u212A"]}"#) else {
        Issue.record("fixture")
        return
    }
    let token = VerifiedToken(issuerIndex: 0, claims: claims)
    let profile = IssuerProfile(name: "t", issuer: "i", keys: [])
    #expect(Authorizer.evaluate(.claims(roles: .any(["K"]), scopes: nil), token: token, profile: profile) != .allow)
}
