import JSON

/// A token whose signature and claims passed verification.
public struct VerifiedToken: Sendable {
    /// Index into the verifier's `IssuerSet.profiles`.
    public var issuerIndex: Int
    public var claims: JSONObject
    public var subject: String?
    public var jti: String?
    public var expiresAt: Double?
    public var notBefore: Double?
    public var issuedAt: Double?

    public init(
        issuerIndex: Int, claims: JSONObject, subject: String? = nil, jti: String? = nil, expiresAt: Double? = nil,
        notBefore: Double? = nil, issuedAt: Double? = nil
    ) {
        self.issuerIndex = issuerIndex
        self.claims = claims
        self.subject = subject
        self.jti = jti
        self.expiresAt = expiresAt
        self.notBefore = notBefore
        self.issuedAt = issuedAt
    }
}
