import Glibc
import JSON
import JWT
import Store
import Testing

@testable import Issuer

/// A fresh directory per test holding the database file; removed (with the WAL files) on deinit.
final class TemporaryDirectory: Sendable {
    let path: String
    var databasePath: String { path + "/gateway.db" }

    init() {
        var template = Array("/tmp/issuer-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }
        guard let made else { preconditionFailure("mkdtemp failed") }
        path = made
    }

    deinit {
        for suffix in ["", "-wal", "-shm"] { unlink(databasePath + suffix) }
        rmdir(path)
    }
}

/// The cheapest scrypt cost the store accepts, so a test login does not spend 100 ms hashing.
let testScrypt = ScryptParameters(logN: 4, r: 1, p: 1)

let testPassword = "correct horse battery staple"

/// A running service over a fresh database, its mirror, and a verifier for the tokens it signs.
final class IssuerFixture: Sendable {
    let directory = TemporaryDirectory()
    let key: SigningKey
    let mirror: RevocationMirror
    let service: IssuerService

    init(
        algorithm: Algorithm = .ES256, audiences: [String] = ["legacy-api"], registerEnabled: Bool = false,
        includeIssuedAt: Bool = true, includeNotBefore: Bool = true, includeRoles: Bool = true,
        threads: Int = 2, maxQueued: Int = 64, users: [(String, [String])] = [("alice", ["admin", "reader"])]
    ) throws {
        key = try KeyGenerator.signingKey(algorithm, kid: "gw-1")
        let database = try Database(path: directory.databasePath)
        let store = UserStore(database: database, hasher: try PasswordHasher(parameters: testScrypt))
        for (name, roles) in users { try store.add(username: name, password: testPassword, roles: roles, now: 0) }
        mirror = try RevocationMirror(
            databasePath: directory.databasePath, pollInterval: .seconds(60), pruneInterval: .seconds(3600))
        service = try IssuerService(
            settings: IssuerSettings(
                iss: "https://gateway.test", audiences: audiences, accessTTL: 600, refreshTTL: 86_400, signingKey: key,
                includeIssuedAt: includeIssuedAt, includeNotBefore: includeNotBefore, includeRoles: includeRoles,
                registerEnabled: registerEnabled, registerRoles: ["reader"], scrypt: testScrypt,
                databasePath: directory.databasePath, threads: threads, maxQueued: maxQueued),
            revocations: mirror)
    }

    deinit {
        service.shutdown()
        mirror.stop()
    }

    /// Another connection to the same database, as the CLI would open.
    func openDatabase() throws -> Database {
        try Database(path: directory.databasePath)
    }

    /// Submits `request` and waits for its reply.
    func perform(_ request: IssuerRequest) async -> IssuerReply {
        await withCheckedContinuation { continuation in
            let queued = service.submit(request) { continuation.resume(returning: $0) }
            if !queued { continuation.resume(returning: IssuerReply(status: 503, body: [], error: "refused")) }
        }
    }

    /// A verifier trusting exactly the keys the service publishes.
    func verifier() throws -> TokenVerifier {
        let profile = IssuerProfile(
            name: "gateway", issuer: "https://gateway.test", audiences: service.settings.audiences,
            keys: try JWKS.parse(service.jwksDocument))
        return TokenVerifier(issuers: IssuerSet([profile]), cacheCapacity: 16)
    }

    func login(_ username: String = "alice", _ password: String = testPassword) async -> IssuerReply {
        await perform(.login(username: username, password: password))
    }
}

/// The reply's body as a JSON object (empty when it is not one).
func body(_ reply: IssuerReply) -> JSONObject {
    (try? JSONParser.parse(reply.body))?.objectValue ?? JSONObject()
}

func string(_ reply: IssuerReply, _ member: String) -> String? {
    body(reply)[member]?.stringValue
}

/// Waits for `condition` to hold, checking every few milliseconds for at most `timeout`; for state another
/// thread changes with no signal to wait on.
func eventually(timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}

/// The reply's whole body, for comparing with a literal.
func document(_ reply: IssuerReply) -> JSONValue {
    (try? JSONParser.parse(reply.body)) ?? .null
}
