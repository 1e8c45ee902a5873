/// A refresh token as handed to the client. Only `Crypto.sha256Hex(token)` is stored.
public struct RefreshToken: Sendable, Equatable {
    public let token: String
    public let familyID: String
    public let username: String
    /// Unix seconds.
    public let expiresAt: Int64
}

/// What presenting a refresh token did.
public enum RotationResult: Sendable, Equatable {
    /// The presented token is now spent; this one replaces it.
    case rotated(RefreshToken)
    /// The presented token had already been spent: someone holds a copy. Its whole family is now revoked.
    case reuseDetected(familyID: String, username: String)
    case expired
    /// The family was revoked (logout, reuse, password change) or its user is disabled.
    case revoked
    case unknown
}

/// Refresh tokens in rotating families (OAuth 2.1 §4.3.1 rotation): each login starts a family, each refresh
/// spends the presented token and issues the next one, and a spent token presented again revokes the family.
public struct RefreshTokenStore {
    public let database: Database

    /// 32 random bytes, base64url without padding.
    static let tokenLength = 43

    public init(database: Database) {
        self.database = database
    }

    /// Starts a new family for `username` (a login) and returns its first token.
    public func issue(username: String, now: Int64, lifetime: Duration) throws(StoreError) -> RefreshToken {
        let familyID = Base64.encode(try Crypto.randomBytes(16), .url)
        return try database.transaction { () throws(StoreError) in
            try database.execute(
                "INSERT INTO refresh_families (family_id, username, created_at) VALUES (?, ?, ?)",
                [.text(familyID), .text(username), .integer(now)])
            return try issue(familyID: familyID, username: username, now: now, lifetime: lifetime)
        }
    }

    /// Spends `presented` and issues its successor in the same family, in one transaction: two concurrent refreshes
    /// with one token cannot both succeed, and a crash cannot leave a spent token without its successor.
    public func rotate(_ presented: String, now: Int64, lifetime: Duration) throws(StoreError) -> RotationResult {
        guard presented.utf8.count == Self.tokenLength else { return .unknown }
        let tokenHash = try Crypto.sha256Hex(presented)
        return try database.transaction { () throws(StoreError) -> RotationResult in
            let found = try database.row(
                """
                SELECT t.family_id, t.expires_at, t.spent_at, f.username, f.revoked_at, u.disabled
                FROM refresh_tokens t JOIN refresh_families f USING (family_id) JOIN users u USING (username)
                WHERE t.token_hash = ?
                """, [.text(tokenHash)]
            ) { row in
                (familyID: row.text(0), expiresAt: row.int64(1), spent: !row.isNull(2), username: row.text(3),
                 revoked: !row.isNull(4), disabled: row.int64(5) != 0)
            }
            guard let found else { return .unknown }
            if found.revoked || found.disabled { return .revoked }
            if found.spent {
                // Reuse means two parties hold this family's tokens and we cannot tell which is the thief:
                // end the family, so the newest token (perhaps the thief's) dies too. Committed, not thrown.
                try revokeFamily(found.familyID, now: now)
                return .reuseDetected(familyID: found.familyID, username: found.username)
            }
            if found.expiresAt <= now { return .expired }
            try database.execute(
                "UPDATE refresh_tokens SET spent_at = ? WHERE token_hash = ? AND spent_at IS NULL",
                [.integer(now), .text(tokenHash)])
            return .rotated(try issue(familyID: found.familyID, username: found.username, now: now, lifetime: lifetime))
        }
    }

    /// Revokes the family `presented` belongs to (logout). False when the token is unknown.
    @discardableResult
    public func revokeFamily(of presented: String, now: Int64) throws(StoreError) -> Bool {
        guard presented.utf8.count == Self.tokenLength else { return false }
        let tokenHash = try Crypto.sha256Hex(presented)
        let familyID = try database.row("SELECT family_id FROM refresh_tokens WHERE token_hash = ?", [.text(tokenHash)]) {
            $0.text(0)
        }
        guard let familyID else { return false }
        try revokeFamily(familyID, now: now)
        return true
    }

    /// Revokes every live family of `username`; returns how many.
    @discardableResult
    public func revokeFamilies(username: String, now: Int64) throws(StoreError) -> Int {
        try database.execute(
            "UPDATE refresh_families SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL",
            [.integer(now), .text(username)])
    }

    /// Revokes the live families of `username` that began before `cutoff` (a subject revocation): the sessions
    /// that began later, e.g. a sign-in after the revocation, keep working. Returns how many.
    @discardableResult
    public func revokeFamilies(username: String, createdBefore cutoff: Int64, now: Int64) throws(StoreError) -> Int {
        try database.execute(
            "UPDATE refresh_families SET revoked_at = ? WHERE username = ? AND created_at < ? AND revoked_at IS NULL",
            [.integer(now), .text(username), .integer(cutoff)])
    }

    /// Deletes expired tokens, then families left with no token; returns the number of tokens deleted. A spent
    /// token is kept until its expiry so that its reuse is still detected until then.
    @discardableResult
    public func prune(now: Int64) throws(StoreError) -> Int {
        try database.transaction { () throws(StoreError) -> Int in
            let tokens = try database.execute("DELETE FROM refresh_tokens WHERE expires_at <= ?", [.integer(now)])
            try database.execute(
                """
                DELETE FROM refresh_families
                WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = refresh_families.family_id)
                """)
            return tokens
        }
    }

    private func revokeFamily(_ familyID: String, now: Int64) throws(StoreError) {
        try database.execute(
            "UPDATE refresh_families SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL",
            [.integer(now), .text(familyID)])
    }

    private func issue(familyID: String, username: String, now: Int64, lifetime: Duration) throws(StoreError) -> RefreshToken {
        let token = Base64.encode(try Crypto.randomBytes(32), .url)
        let expiresAt = now + lifetime.components.seconds
        // Only the digest is stored: a leaked database or backup yields no usable refresh token.
        try database.execute(
            "INSERT INTO refresh_tokens (token_hash, family_id, issued_at, expires_at) VALUES (?, ?, ?, ?)",
            [.text(try Crypto.sha256Hex(token)), .text(familyID), .integer(now), .integer(expiresAt)])
        return RefreshToken(token: token, familyID: familyID, username: username, expiresAt: expiresAt)
    }
}
