import Store
import Testing

@testable import Issuer

struct RevocationMirrorTests {
    @Test func loadsTheActiveRevocationsAtInit() throws {
        let directory = TemporaryDirectory()
        let store = RevocationStore(database: try Database(path: directory.databasePath))
        try store.revoke(jti: "live", until: UnixTime.now() + 600)
        try store.revoke(jti: "expired", until: UnixTime.now() - 10)
        let mirror = try RevocationMirror(databasePath: directory.databasePath, pollInterval: .seconds(60), pruneInterval: .seconds(60))
        let set = mirror.current().set
        #expect(set.isRevoked(jti: "live", sub: nil, issuedAt: nil))
        #expect(!set.isRevoked(jti: "expired", sub: nil, issuedAt: nil))
    }

    @Test func aRevocationWrittenByAnotherConnectionIsSeenWithinAPoll() async throws {
        let directory = TemporaryDirectory()
        let mirror = try RevocationMirror(
            databasePath: directory.databasePath, pollInterval: .milliseconds(20), pruneInterval: .seconds(3600))
        mirror.start()
        defer { mirror.stop() }
        let before = mirror.version
        // As `gateway revoke` would, from its own connection.
        let cli = RevocationStore(database: try Database(path: directory.databasePath))
        try cli.revoke(sub: "mallory", notBefore: UnixTime.now(), until: UnixTime.now() + 600)
        #expect(await eventually { mirror.current().set.isRevoked(jti: nil, sub: "mallory", issuedAt: UnixTime.now() - 60) })
        #expect(mirror.version > before)
    }

    @Test func pollReloadsOnlyWhenTheCounterMoved() throws {
        let directory = TemporaryDirectory()
        let mirror = try RevocationMirror(databasePath: directory.databasePath, pollInterval: .seconds(60), pruneInterval: .seconds(3600))
        #expect(!mirror.poll())
        #expect(mirror.version == 0)
        try RevocationStore(database: try Database(path: directory.databasePath)).revoke(jti: "j1", until: UnixTime.now() + 60)
        #expect(mirror.poll())
        #expect(mirror.version == 1)
        #expect(!mirror.poll())
        #expect(mirror.current().set.isRevoked(jti: "j1", sub: nil, issuedAt: nil))
    }

    @Test func aPollAfterAnAddKeepsIt() throws {
        let directory = TemporaryDirectory()
        let mirror = try RevocationMirror(databasePath: directory.databasePath, pollInterval: .seconds(60), pruneInterval: .seconds(3600))
        let expiresAt = UnixTime.now() + 600
        try RevocationStore(database: try Database(path: directory.databasePath)).revoke(jti: "mine", until: expiresAt)
        mirror.add(Revocation(kind: .jti, value: "mine", notBefore: nil, expiresAt: expiresAt))
        #expect(mirror.version == 1)
        #expect(mirror.poll())
        #expect(mirror.version == 2)
        #expect(mirror.current().set.isRevoked(jti: "mine", sub: nil, issuedAt: nil))
    }

    @Test func pruningDeletesExpiredRows() throws {
        let directory = TemporaryDirectory()
        let database = try Database(path: directory.databasePath)
        try RevocationStore(database: database).revoke(jti: "old", until: UnixTime.now() - 10)
        try RevocationStore(database: database).revoke(jti: "new", until: UnixTime.now() + 600)
        let mirror = try RevocationMirror(databasePath: directory.databasePath, pollInterval: .seconds(60), pruneInterval: .zero)
        mirror.poll()
        #expect(try database.rows("SELECT value FROM revocations") { $0.text(0) } == ["new"])
    }

    @Test func stopReturnsPromptlyDespiteALongPollInterval() throws {
        let directory = TemporaryDirectory()
        let mirror = try RevocationMirror(databasePath: directory.databasePath, pollInterval: .seconds(600), pruneInterval: .seconds(3600))
        mirror.start()
        let began = ContinuousClock.now
        mirror.stop()
        #expect(began.duration(to: .now) < .seconds(5))
    }
}
