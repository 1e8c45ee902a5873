import CSQLite

/// Users: add, change password, disable, list, find, and the password check of a login.
public struct UserStore {
    public let database: Database
    public let hasher: PasswordHasher

    public init(database: Database, hasher: PasswordHasher) {
        self.database = database
        self.hasher = hasher
    }

    /// Creates a user; refuses an existing name, an invalid name or role, and a password the policy refuses.
    @discardableResult
    public func add(username: String, password: String, roles: [String], now: Int64) throws(StoreError) -> User {
        guard User.isValidUsername(username) else { throw .invalid(field: "username", value: username) }
        for role in roles where !User.isValidRole(role) { throw .invalid(field: "role", value: role) }
        try PasswordPolicy.check(password)
        let user = User(
            username: username, passwordHash: try hasher.hash(password), roles: roles, disabled: false, createdAt: now)
        do {
            try database.execute(
                "INSERT INTO users (username, password_hash, roles, disabled, created_at) VALUES (?, ?, ?, 0, ?)",
                [.text(username), .text(user.passwordHash), .text(roles.joined(separator: ",")), .integer(now)])
        } catch .sqlite(let code, _) where code == Self.primaryKeyConflict {
            throw .userExists(username)
        }
        return user
    }

    /// Replaces the password (policy applies) and revokes the user's refresh-token families: a password change
    /// ends the other sessions, which may be the attacker's.
    public func setPassword(username: String, password: String, now: Int64) throws(StoreError) {
        try PasswordPolicy.check(password)
        let hash = try hasher.hash(password)
        try database.transaction { () throws(StoreError) in
            let changed = try database.execute(
                "UPDATE users SET password_hash = ? WHERE username = ?", [.text(hash), .text(username)])
            guard changed == 1 else { throw .unknownUser(username) }
            try RefreshTokenStore(database: database).revokeFamilies(username: username, now: now)
        }
    }

    /// Disables the user and revokes their refresh-token families, so no refresh can mint a new access token.
    /// Access tokens already issued stay valid until their `exp` unless the caller also revokes the `sub`.
    public func disable(username: String, now: Int64) throws(StoreError) {
        try database.transaction { () throws(StoreError) in
            let changed = try database.execute("UPDATE users SET disabled = 1 WHERE username = ?", [.text(username)])
            guard changed == 1 else { throw .unknownUser(username) }
            try RefreshTokenStore(database: database).revokeFamilies(username: username, now: now)
        }
    }

    /// Enables a disabled user again. The refresh-token families revoked by `disable` stay revoked: the user signs in anew.
    public func enable(username: String) throws(StoreError) {
        let changed = try database.execute("UPDATE users SET disabled = 0 WHERE username = ?", [.text(username)])
        guard changed == 1 else { throw .unknownUser(username) }
    }

    public func find(username: String) throws(StoreError) -> User? {
        try database.row(
            "SELECT username, password_hash, roles, disabled, created_at FROM users WHERE username = ?", [.text(username)],
            Self.user)
    }

    /// All users, ordered by name.
    public func list() throws(StoreError) -> [User] {
        try database.rows("SELECT username, password_hash, roles, disabled, created_at FROM users ORDER BY username", [], Self.user)
    }

    /// The user when `password` is theirs and they are enabled, else nil. Unknown, disabled and wrong-password
    /// attempts all cost one scrypt verification, so the answer's timing does not tell them apart. A hash made with
    /// weaker parameters than today's is replaced on success, while the password is at hand.
    public func authenticate(username: String, password: String) throws(StoreError) -> User? {
        let user = try find(username: username)
        guard hasher.verify(password, against: user?.passwordHash), var user, !user.disabled else { return nil }
        if hasher.needsRehash(user.passwordHash) {
            user.passwordHash = try hasher.hash(password)
            try database.execute(
                "UPDATE users SET password_hash = ? WHERE username = ?", [.text(user.passwordHash), .text(username)])
        }
        return user
    }

    /// SQLITE_CONSTRAINT_PRIMARYKEY, a macro expression that does not import.
    private static let primaryKeyConflict = SQLITE_CONSTRAINT | (6 << 8)

    private static func user(_ row: Row) -> User {
        let roles = row.text(2)
        return User(
            username: row.text(0), passwordHash: row.text(1),
            roles: roles.isEmpty ? [] : roles.split(separator: ",").map(String.init), disabled: row.int64(3) != 0,
            createdAt: row.int64(4))
    }
}
