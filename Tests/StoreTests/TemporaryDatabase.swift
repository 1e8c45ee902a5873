import Glibc
@testable import Store

/// A fresh directory per test holding the database file; removed (with the WAL files) on deinit.
final class TemporaryDatabase {
    let directory: String
    var path: String { directory + "/store.db" }

    init() {
        var template = Array("/tmp/store-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }
        guard let made else { preconditionFailure("mkdtemp failed") }
        directory = made
    }

    func open(migrate: Bool = true) throws -> Database {
        try Database(path: path, migrate: migrate)
    }

    func exists(_ suffix: String = "") -> Bool {
        access(path + suffix, F_OK) == 0
    }

    deinit {
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
        rmdir(directory)
    }
}

/// A cheap scrypt cost so store tests do not spend 50 ms per password.
let fastHasher: PasswordHasher = {
    do { return try PasswordHasher(parameters: ScryptParameters(logN: 4, r: 1, p: 1)) } catch {
        preconditionFailure("cannot build the test hasher: \(error)")
    }
}()
