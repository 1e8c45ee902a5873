import CSQLite

extension Database {
    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    /// The outermost level is `BEGIN IMMEDIATE`: taking the write lock up front means a busy database makes us wait
    /// (busy_timeout) at the start rather than fail at the first write with a deadlock SQLite cannot wait out.
    /// A nested call becomes a savepoint, so an inner failure undoes only the inner work.
    @discardableResult
    public func transaction<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        let nested = sqlite3_get_autocommit(connection) == 0
        try executeScript(nested ? "SAVEPOINT nested" : "BEGIN IMMEDIATE")
        let result: T
        do {
            result = try body()
            try executeScript(nested ? "RELEASE nested" : "COMMIT")
        } catch {
            // The original error is what the caller needs; a failed rollback leaves SQLite's own automatic rollback.
            try? executeScript(nested ? "ROLLBACK TO nested; RELEASE nested" : "ROLLBACK")
            throw error
        }
        return result
    }
}
