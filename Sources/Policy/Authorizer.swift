import JSON
import JWT

/// The outcome of checking a verified token against an access rule.
public enum PolicyDecision: Sendable, Equatable {
    case allow
    /// What was missing, as "role:NAME" or "scope:NAME" (for an `any` rule, every listed name; for an
    /// empty `any` rule, "role:(none listed)").
    case deny(missing: [String])
}

/// Applies access rules to verified tokens. Pure functions of their inputs; safe from any thread.
public enum Authorizer {
    public static func evaluate(_ rule: AccessRule, token: VerifiedToken, profile: IssuerProfile) -> PolicyDecision {
        guard case .claims(let roles, let scopes) = rule else { return .allow }
        var missing: [String] = []
        if let roles {
            missing += unmet(roles, have: profile.rolesClaim.strings(in: token.claims), kind: "role")
        }
        if let scopes {
            missing += unmet(scopes, have: profile.scopesClaim.strings(in: token.claims), kind: "scope")
        }
        return missing.isEmpty ? .allow : .deny(missing: missing)
    }

    /// The decision plus one line per check, for `gateway explain`, e.g.
    /// `roles any [admin] ← token has [reader]: fail`.
    public static func explain(_ rule: AccessRule, token: VerifiedToken, profile: IssuerProfile) -> (
        decision: PolicyDecision, lines: [String]
    ) {
        var lines: [String] = []
        switch rule {
        case .publicAccess:
            lines.append("public: pass")
        case .authenticated:
            lines.append("authenticated (token verified for issuer \(profile.name)): pass")
        case .claims(let roles, let scopes):
            if let roles {
                lines.append(line("roles", roles, profile.rolesClaim, token: token, kind: "role"))
            }
            if let scopes {
                lines.append(line("scopes", scopes, profile.scopesClaim, token: token, kind: "scope"))
            }
            if roles == nil && scopes == nil { lines.append("claims (no role or scope rule): pass") }
        }
        return (evaluate(rule, token: token, profile: profile), lines)
    }

    private static func line(_ label: String, _ rule: RoleRule, _ path: ClaimPath, token: VerifiedToken, kind: String)
        -> String
    {
        let have = path.strings(in: token.claims)
        let (mode, names) =
            switch rule {
            case .any(let names): ("any", names)
            case .all(let names): ("all", names)
            }
        let verdict = unmet(rule, have: have, kind: kind).isEmpty ? "pass" : "fail"
        return "\(label) \(mode) [\(names.joined(separator: ", "))] ← token has [\(have.joined(separator: ", "))] "
            + "(claim \(path)): \(verdict)"
    }

    private static func unmet(_ rule: RoleRule, have: [String], kind: String) -> [String] {
        switch rule {
        case .any(let names):
            // An empty any-rule is satisfiable by nothing; deny rather than fall open.
            if names.isEmpty { return ["\(kind):(none listed)"] }
            // Exact bytes, as RFC 7519 compares strings: Swift's == would equate canonically equivalent
            // spellings (a Kelvin sign would pass for "K").
            return names.contains(where: { n in have.contains { $0.utf8.elementsEqual(n.utf8) } }) ? [] : names.map { "\(kind):\($0)" }
        case .all(let names):
            return names.filter { n in !have.contains { $0.utf8.elementsEqual(n.utf8) } }.map { "\(kind):\($0)" }
        }
    }
}
