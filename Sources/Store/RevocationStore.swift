/// Revocations of access tokens from any issuer: by `jti` until the token's `exp`, or by `sub` for every token
/// issued before a time.
public struct RevocationStore {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Revokes the token `jti` until `expiresAt` (its `exp`; afterwards it is refused as expired anyway).
    public func revoke(jti: String, until expiresAt: Int64) throws(StoreError) {
        guard !jti.isEmpty else { throw .invalid(field: "jti", value: jti) }
        try database.execute(
            """
            INSERT INTO revocations (kind, value, not_before, expires_at) VALUES ('jti', ?, NULL, ?)
            ON CONFLICT (kind, value) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)
            """, [.text(jti), .integer(expiresAt)])
    }

    /// Revokes every token of `sub` issued before `notBefore`. `expiresAt` should be `notBefore` plus the longest
    /// access-token lifetime accepted for that subject: by then every covered token has expired. A second
    /// revocation only moves both times later, never earlier.
    public func revoke(sub: String, notBefore: Int64, until expiresAt: Int64) throws(StoreError) {
        guard !sub.isEmpty else { throw .invalid(field: "sub", value: sub) }
        try database.execute(
            """
            INSERT INTO revocations (kind, value, not_before, expires_at) VALUES ('sub', ?, ?, ?)
            ON CONFLICT (kind, value) DO UPDATE SET
                not_before = max(coalesce(not_before, excluded.not_before), excluded.not_before),
                expires_at = max(expires_at, excluded.expires_at)
            """, [.text(sub), .integer(notBefore), .integer(max(expiresAt, notBefore))])
    }

    /// True when `jti` is revoked, or `sub` has a not-before later than `issuedAt`. Rows past their expiry may
    /// still answer true until pruned; the tokens they cover are expired by then.
    public func isRevoked(jti: String?, sub: String?, issuedAt: Int64?) throws(StoreError) -> Bool {
        if let jti, try database.row("SELECT 1 FROM revocations WHERE kind = 'jti' AND value = ?", [.text(jti)], { _ in true }) != nil {
            return true
        }
        guard let sub,
            let notBefore = try database.row(
                "SELECT not_before FROM revocations WHERE kind = 'sub' AND value = ?", [.text(sub)], { $0.optionalInt64(0) })
        else { return false }
        // A subject row without a not-before revokes every token of that subject.
        return Self.isBefore(issuedAt, notBefore ?? Int64.max)
    }

    /// Deletes revocations whose expiry has passed; returns how many.
    @discardableResult
    public func prune(now: Int64) throws(StoreError) -> Int {
        try database.execute("DELETE FROM revocations WHERE expires_at <= ?", [.integer(now)])
    }

    /// Moves whenever any process inserts, updates or deletes a revocation; a running gateway polls this one row
    /// and reloads its `RevocationSet` only when it changed.
    public func changeCounter() throws(StoreError) -> Int64 {
        try database.row("SELECT counter FROM revocation_changes WHERE id = 1") { $0.int64(0) } ?? 0
    }

    /// The revocations not yet expired at `now`.
    public func active(now: Int64) throws(StoreError) -> [Revocation] {
        // The table's CHECK admits only the two kinds; compactMap keeps a hand-edited row from being misread.
        try database.rows(
            "SELECT kind, value, not_before, expires_at FROM revocations WHERE expires_at > ?", [.integer(now)]
        ) { row in
            Revocation.Kind(rawValue: row.text(0)).map {
                Revocation(kind: $0, value: row.text(1), notBefore: row.optionalInt64(2), expiresAt: row.int64(3))
            }
        }.compactMap { $0 }
    }

    /// The counter and the active revocations read in one transaction, so the mirror and the counter it records agree.
    public func snapshot(now: Int64) throws(StoreError) -> (counter: Int64, revocations: RevocationSet) {
        try database.transaction { () throws(StoreError) in
            (try changeCounter(), RevocationSet(try active(now: now)))
        }
    }

    /// A token with no `iat` cannot show it was issued after the cut-off, so it counts as before it.
    static func isBefore(_ issuedAt: Int64?, _ notBefore: Int64) -> Bool {
        guard let issuedAt else { return true }
        return issuedAt < notBefore
    }
}
