/// One job for the issuer's threads, built by a gateway worker from a parsed body (and, for logout, a verified token).
public enum IssuerRequest: Sendable {
    case login(username: String, password: String)
    case refresh(refreshToken: String)
    /// `jti`, `subject` and `expiresAt` come from the verified access token being signed out.
    case logout(jti: String, subject: String?, expiresAt: Int64, refreshToken: String?)
    case register(username: String, password: String)
}
