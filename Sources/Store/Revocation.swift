/// One stored revocation.
public struct Revocation: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// One token, by its `jti`.
        case jti
        /// Every token of a subject issued before `notBefore`.
        case sub
    }

    public var kind: Kind
    public var value: String
    /// For `.sub`: tokens with `iat` earlier than this (Unix seconds) are revoked.
    public var notBefore: Int64?
    /// Unix seconds after which the row can be pruned: no token it covers can still be unexpired.
    public var expiresAt: Int64

    public init(kind: Kind, value: String, notBefore: Int64?, expiresAt: Int64) {
        self.kind = kind
        self.value = value
        self.notBefore = notBefore
        self.expiresAt = expiresAt
    }
}
