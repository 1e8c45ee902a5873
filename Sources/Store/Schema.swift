/// The database schema as an ordered list of migrations; `PRAGMA user_version` records the last one applied.
/// A migration is never edited once released: a change is a new migration, so old databases upgrade in order.
public enum Schema {
    /// The version this build creates and expects.
    public static var version: Int64 { migrations.last?.version ?? 0 }

    static let migrations: [(version: Int64, sql: String)] = [
        (1, """
            CREATE TABLE users (
                username TEXT PRIMARY KEY NOT NULL,
                password_hash TEXT NOT NULL,
                roles TEXT NOT NULL,
                disabled INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL
            ) STRICT;
            CREATE TABLE refresh_families (
                family_id TEXT PRIMARY KEY NOT NULL,
                username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
                created_at INTEGER NOT NULL,
                revoked_at INTEGER
            ) STRICT;
            CREATE INDEX refresh_families_username ON refresh_families(username);
            CREATE TABLE refresh_tokens (
                token_hash TEXT PRIMARY KEY NOT NULL,
                family_id TEXT NOT NULL REFERENCES refresh_families(family_id) ON DELETE CASCADE,
                issued_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                spent_at INTEGER
            ) STRICT;
            CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);
            CREATE TABLE revocations (
                kind TEXT NOT NULL CHECK (kind IN ('jti', 'sub')),
                value TEXT NOT NULL,
                not_before INTEGER,
                expires_at INTEGER NOT NULL,
                PRIMARY KEY (kind, value)
            ) STRICT;
            """),
        // Pruning scans by expiry; the change counter lets a running gateway poll one row to learn that another
        // process (the `revoke` CLI) changed the revocations, instead of reloading them every second.
        (2, """
            CREATE INDEX revocations_expiry ON revocations(expires_at);
            CREATE INDEX refresh_tokens_expiry ON refresh_tokens(expires_at);
            CREATE TABLE revocation_changes (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                counter INTEGER NOT NULL
            ) STRICT;
            INSERT INTO revocation_changes (id, counter) VALUES (1, 0);
            CREATE TRIGGER revocations_inserted AFTER INSERT ON revocations
                BEGIN UPDATE revocation_changes SET counter = counter + 1; END;
            CREATE TRIGGER revocations_updated AFTER UPDATE ON revocations
                BEGIN UPDATE revocation_changes SET counter = counter + 1; END;
            CREATE TRIGGER revocations_deleted AFTER DELETE ON revocations
                BEGIN UPDATE revocation_changes SET counter = counter + 1; END;
            """),
    ]

    /// Applies every migration above the database's version, each in its own transaction together with its
    /// version bump, so a crash leaves the database at a whole version. The version is re-read under the write
    /// lock: two processes opening a new database at once do not both run a migration.
    public static func migrate(_ database: Database) throws(StoreError) {
        let found = try database.userVersion()
        guard found <= version else { throw .schemaTooNew(found: found, supported: version) }
        for migration in migrations where migration.version > found {
            try database.transaction { () throws(StoreError) in
                guard try database.userVersion() < migration.version else { return }
                try database.executeScript(migration.sql)
                try database.executeScript("PRAGMA user_version = \(migration.version)")
            }
        }
    }
}
