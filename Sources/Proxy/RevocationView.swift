import Issuer
import JWT
import Store

/// A worker's copy of the revocation set. The mirror publishes a new set with a new version; the worker
/// checks the version with one atomic load per request and copies the set (a reference, copy-on-write)
/// only when it moved, so the request path never takes a lock or reads the database.
final class RevocationView {
    private let mirror: RevocationMirror
    private var version = -1
    private var set = RevocationSet()

    init(mirror: RevocationMirror) {
        self.mirror = mirror
    }

    func isRevoked(_ token: VerifiedToken) -> Bool {
        let current = mirror.version
        if current != version {
            (version, set) = mirror.current()
        }
        if set.isEmpty { return false }
        return set.isRevoked(jti: token.jti, sub: token.subject, issuedAt: token.issuedAt.map(Self.seconds))
    }

    /// Whole seconds of a claim's number, clamped: `Int64(_:)` traps on a huge or non-finite value, and a
    /// token's iat is whatever its issuer wrote.
    static func seconds(_ value: Double) -> Int64 {
        guard value.isFinite else { return value > 0 ? .max : .min }
        if value >= 9.2e18 { return .max }
        if value <= -9.2e18 { return .min }
        return Int64(value.rounded(.down))
    }
}
