import JSON
import JWT
import Store

/// One service thread's handler: owns that thread's database connection (a `Database` is not thread-safe)
/// and runs each job to its commit before the reply is built.
final class IssuerWorker {
    private let settings: IssuerSettings
    private let revocations: RevocationMirror
    private let database: Database
    private let users: UserStore
    private let refreshTokens: RefreshTokenStore
    private let minter: AccessTokenMinter

    init(settings: IssuerSettings, hasher: PasswordHasher, revocations: RevocationMirror, migrate: Bool) throws(StoreError) {
        self.settings = settings
        self.revocations = revocations
        database = try Database(path: settings.databasePath, migrate: migrate)
        users = UserStore(database: database, hasher: hasher)
        refreshTokens = RefreshTokenStore(database: database)
        minter = AccessTokenMinter(settings: settings)
    }

    func handle(_ request: IssuerRequest) -> IssuerReply {
        do throws(StoreError) {
            switch request {
            case .login(let username, let password): return try login(username: username, password: password)
            case .refresh(let token): return try refresh(token)
            case .logout(let jti, _, let expiresAt, let token): return try logout(jti: jti, expiresAt: expiresAt, refreshToken: token)
            case .register(let username, let password): return try register(username: username, password: password)
            }
        } catch {
            // The SQLite message stays out of the reply: it can name tables, paths or values.
            return .storeUnavailable
        }
    }

    private func login(username: String, password: String) throws(StoreError) -> IssuerReply {
        // Unknown, disabled and wrong-password attempts all cost one scrypt verification (the dummy hash for an
        // unknown user) and get the same answer, so neither timing nor reply tells which usernames exist.
        guard let user = try users.authenticate(username: username, password: password) else { return .invalidCredentials }
        let now = UnixTime.now()
        let refresh = try refreshTokens.issue(username: user.username, now: now, lifetime: .seconds(settings.refreshTTL))
        return tokens(for: user, refreshToken: refresh.token, now: now)
    }

    private func refresh(_ presented: String) throws(StoreError) -> IssuerReply {
        let now = UnixTime.now()
        let result = try database.transaction { () throws(StoreError) -> RotationResult in
            let result = try refreshTokens.rotate(presented, now: now, lifetime: .seconds(settings.refreshTTL))
            guard case .rotated(let next) = result else { return result }
            // A subject revocation cuts off every token issued before it, but a refresh mints one issued now:
            // a session begun before the cut-off would outlive it. Such a family ends here, for good, so it
            // cannot refresh either once the revocation row has been pruned.
            let started = try database.row(
                "SELECT created_at FROM refresh_families WHERE family_id = ?", [.text(next.familyID)]) { $0.int64(0) }
            guard try RevocationStore(database: database).isRevoked(jti: nil, sub: next.username, issuedAt: started) else {
                return result
            }
            try refreshTokens.revokeFamily(of: next.token, now: now)
            return .revoked
        }
        switch result {
        case .rotated(let next):
            // Roles are read now, not copied from the old token: a role removed since login is gone at the next refresh.
            guard let user = try users.find(username: next.username), !user.disabled else {
                return Self.invalidRefresh("The session has been revoked.")
            }
            return tokens(for: user, refreshToken: next.token, now: now)
        case .reuseDetected:
            return Self.invalidRefresh("The refresh token was already used; the session has been revoked.")
        case .expired:
            return Self.invalidRefresh("The refresh token has expired.")
        case .revoked:
            return Self.invalidRefresh("The session has been revoked.")
        case .unknown:
            return Self.invalidRefresh("The refresh token is not valid.")
        }
    }

    private func logout(jti: String, expiresAt: Int64, refreshToken: String?) throws(StoreError) -> IssuerReply {
        // A token without a jti cannot be revoked one by one; the caller answers before queueing such a logout.
        guard !jti.isEmpty else { return .invalidRequest("The access token has no token id.") }
        let now = UnixTime.now()
        try database.transaction { () throws(StoreError) in
            try RevocationStore(database: database).revoke(jti: jti, until: expiresAt)
            if let refreshToken { try refreshTokens.revokeFamily(of: refreshToken, now: now) }
        }
        // Only after the commit: the mirror's poller relies on every added revocation already being in the
        // database, so a reload it builds later can never lose this one (see `RevocationMirror`).
        revocations.add(Revocation(kind: .jti, value: jti, notBefore: nil, expiresAt: expiresAt))
        return .json(200, ["message": "Signed out."])
    }

    private func register(username: String, password: String) throws(StoreError) -> IssuerReply {
        guard settings.registerEnabled else { return .notFound }
        do throws(StoreError) {
            let user = try users.add(username: username, password: password, roles: settings.registerRoles, now: UnixTime.now())
            return .json(201, ["username": .string(user.username), "roles": .array(user.roles.map { .string($0) })])
        } catch .userExists {
            return .failure(409, "username_taken", "The username is already taken.")
        } catch .invalid(field: "username", _) {
            return .failure(
                400, "invalid_username", "The username must be 1 to 64 letters, digits or the characters . _ @ + -.")
        } catch .passwordTooShort(let minimum) {
            return .failure(400, "weak_password", "The password must have at least \(minimum) characters.")
        } catch .passwordTooLong(let maximum) {
            return .failure(400, "weak_password", "The password must have at most \(maximum) bytes.")
        }
    }

    private func tokens(for user: User, refreshToken: String, now: Int64) -> IssuerReply {
        guard let accessToken = try? minter.sign(subject: user.username, roles: user.roles, now: now) else {
            return .signingFailed
        }
        return .json(
            200,
            [
                "access_token": .string(accessToken), "refresh_token": .string(refreshToken), "token_type": "Bearer",
                "expires_in": .number(JSONNumber(settings.accessTTL)),
            ])
    }

    private static func invalidRefresh(_ message: String) -> IssuerReply {
        .failure(401, "invalid_refresh_token", message)
    }
}
