/// An in-memory copy of the active revocations, consulted on the request path so that no request waits on disk.
/// Rebuilt from `RevocationStore.snapshot` whenever `changeCounter` moves.
public struct RevocationSet: Sendable, Equatable {
    /// jti → expiry.
    public private(set) var jtis: [String: Int64] = [:]
    /// sub → not-before.
    public private(set) var subjects: [String: Int64] = [:]

    public init(_ revocations: [Revocation] = []) {
        for revocation in revocations { insert(revocation) }
    }

    public mutating func insert(_ revocation: Revocation) {
        switch revocation.kind {
        case .jti:
            jtis[revocation.value] = max(jtis[revocation.value] ?? revocation.expiresAt, revocation.expiresAt)
        case .sub:
            let notBefore = revocation.notBefore ?? Int64.max
            subjects[revocation.value] = max(subjects[revocation.value] ?? notBefore, notBefore)
        }
    }

    /// Same rule as `RevocationStore.isRevoked`.
    public func isRevoked(jti: String?, sub: String?, issuedAt: Int64?) -> Bool {
        if let jti, jtis[jti] != nil { return true }
        guard let sub, let notBefore = subjects[sub] else { return false }
        return RevocationStore.isBefore(issuedAt, notBefore)
    }

    public var isEmpty: Bool { jtis.isEmpty && subjects.isEmpty }
}
