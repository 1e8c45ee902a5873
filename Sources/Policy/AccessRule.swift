/// A set of required names, matched against the strings a token's claim holds.
public enum RoleRule: Sendable, Equatable {
    /// At least one of the names. An empty list matches nothing (Config should reject it).
    case any([String])
    /// Every name. An empty list is vacuously satisfied.
    case all([String])
}

/// What a route (or one of its methods) requires of the caller.
public enum AccessRule: Sendable, Equatable {
    /// No token needed; none is verified even if sent.
    case publicAccess
    /// Any token that verifies for an allowed issuer.
    case authenticated
    /// A verified token whose roles and scopes satisfy both rules (a nil rule is not checked).
    case claims(roles: RoleRule?, scopes: RoleRule?)

    public var requiresToken: Bool { self != .publicAccess }
}
