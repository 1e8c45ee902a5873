import Testing
@testable import Store

/// The v1 schema as the first release wrote it, kept verbatim: an old database on disk looks exactly like this.
let schemaV1 = """
    CREATE TABLE users (username TEXT PRIMARY KEY NOT NULL, password_hash TEXT NOT NULL, roles TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL) STRICT;
    CREATE TABLE refresh_families (family_id TEXT PRIMARY KEY NOT NULL,
        username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE, created_at INTEGER NOT NULL,
        revoked_at INTEGER) STRICT;
    CREATE INDEX refresh_families_username ON refresh_families(username);
    CREATE TABLE refresh_tokens (token_hash TEXT PRIMARY KEY NOT NULL,
        family_id TEXT NOT NULL REFERENCES refresh_families(family_id) ON DELETE CASCADE, issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL, spent_at INTEGER) STRICT;
    CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);
    CREATE TABLE revocations (kind TEXT NOT NULL CHECK (kind IN ('jti', 'sub')), value TEXT NOT NULL,
        not_before INTEGER, expires_at INTEGER NOT NULL, PRIMARY KEY (kind, value)) STRICT;
    PRAGMA user_version = 1;
    """

func schemaObjects(_ database: Database) throws -> [String] {
    try database.rows("SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name") { $0.text(0) }
}

@Test func emptyDatabaseMigratesToTheLatestVersion() throws {
    let temporary = TemporaryDatabase()
    let database = try temporary.open()
    #expect(try database.userVersion() == Schema.version)
    #expect(Schema.version == 2)
    #expect(
        try schemaObjects(database) == [
            "refresh_families", "refresh_families_username", "refresh_tokens", "refresh_tokens_expiry",
            "refresh_tokens_family", "revocation_changes", "revocations", "revocations_deleted", "revocations_expiry",
            "revocations_inserted", "revocations_updated", "users",
        ])
}

@Test func versionOneDatabaseMigratesWithItsDataIntact() throws {
    let temporary = TemporaryDatabase()
    do {
        let old = try temporary.open(migrate: false)
        try old.executeScript(schemaV1)
        try old.executeScript(
            """
            INSERT INTO users VALUES ('kyle', '$scrypt$x', 'reader', 0, 100);
            INSERT INTO refresh_families VALUES ('fam', 'kyle', 100, NULL);
            INSERT INTO refresh_tokens VALUES ('abc', 'fam', 100, 200, NULL);
            INSERT INTO revocations VALUES ('jti', 'j1', NULL, 300);
            """)
        #expect(try old.userVersion() == 1)
    }
    let database = try temporary.open()
    #expect(try database.userVersion() == 2)
    #expect(try schemaObjects(database).contains("revocations_expiry"))
    let users = try UserStore(database: database, hasher: fastHasher).list()
    #expect(users == [User(username: "kyle", passwordHash: "$scrypt$x", roles: ["reader"], disabled: false, createdAt: 100)])
    #expect(try database.row("SELECT family_id, expires_at FROM refresh_tokens") { [$0.text(0), String($0.int64(1))] } == ["fam", "200"])
    let revocations = RevocationStore(database: database)
    #expect(try revocations.isRevoked(jti: "j1", sub: nil, issuedAt: nil))
    // v2's triggers work on the migrated tables.
    let before = try revocations.changeCounter()
    try revocations.revoke(jti: "j2", until: 400)
    #expect(try revocations.changeCounter() == before + 1)
}

@Test func reopeningAMigratedDatabaseChangesNothing() throws {
    let temporary = TemporaryDatabase()
    let objects = try schemaObjects(try temporary.open())
    let database = try temporary.open()
    #expect(try schemaObjects(database) == objects)
    #expect(try database.userVersion() == Schema.version)
}

@Test func aDatabaseFromANewerBuildIsRefused() throws {
    let temporary = TemporaryDatabase()
    try temporary.open(migrate: false).executeScript("PRAGMA user_version = 99")
    #expect(throws: StoreError.schemaTooNew(found: 99, supported: Schema.version)) { try temporary.open() }
}
