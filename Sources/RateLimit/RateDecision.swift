/// The outcome of one `take`, with what the response headers need.
public enum RateDecision: Sendable, Equatable {
    /// `remaining`: whole tokens left after this request. `resetSeconds`: until the bucket is full again, rounded up.
    case allowed(remaining: Int, resetSeconds: Int)
    /// `retryAfterSeconds`: until one token is available, rounded up, at least 1 (for Retry-After).
    case limited(retryAfterSeconds: Int, resetSeconds: Int)

    public var isAllowed: Bool {
        if case .allowed = self { return true }
        return false
    }
}
