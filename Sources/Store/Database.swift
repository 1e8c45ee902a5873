import CSQLite

/// One SQLite connection: opened (and the file created) at a path, in WAL mode with full fsync on commit,
/// foreign keys on, and a busy timeout so a concurrent writer (the CLI while the gateway runs) waits instead of failing.
/// Not thread-safe: confine it to one thread or guard it with a `Mutex`.
public final class Database {
    public let path: String
    let connection: OpaquePointer
    /// Prepared once per connection and reused: the login and refresh paths run the same few statements.
    private var statements: [String: Statement] = [:]

    /// Opens (creating the file if needed) and, unless `migrate` is false, brings the schema to `Schema.version`.
    public init(path: String, busyTimeout: Duration = .seconds(5), migrate: Bool = true) throws(StoreError) {
        var opened: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let status = sqlite3_open_v2(path, &opened, flags, nil)
        guard status == SQLITE_OK, let opened else {
            let error = opened.map { Database.error($0, status) } ?? .sqlite(code: status, message: "cannot open \(path)")
            sqlite3_close_v2(opened)
            throw error
        }
        self.path = path
        self.connection = opened
        let milliseconds = busyTimeout.components.seconds * 1000 + busyTimeout.components.attoseconds / 1_000_000_000_000_000
        sqlite3_busy_timeout(opened, Int32(clamping: milliseconds))
        let mode = try row("PRAGMA journal_mode = WAL") { $0.text(0) }
        guard mode == "wal" else { throw .sqlite(code: SQLITE_ERROR, message: "cannot enable WAL mode (journal_mode is \(mode ?? "unknown"))") }
        // WAL with synchronous=NORMAL may lose the last commits on power loss; a revocation or a spent refresh token
        // must survive once its HTTP answer is sent, so every commit is fsynced.
        try execute("PRAGMA synchronous = FULL")
        try execute("PRAGMA foreign_keys = ON")
        if migrate { try Schema.migrate(self) }
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(connection)
    }

    /// Runs one statement with its parameters and returns the number of rows it changed.
    @discardableResult
    public func execute(_ sql: String, _ values: [SQLValue] = []) throws(StoreError) -> Int {
        let statement = try prepared(sql)
        defer { statement.reset() }
        try statement.bind(values)
        while try statement.step() {}
        return Int(sqlite3_changes64(connection))
    }

    /// Runs a script of several statements (migrations); not cached, no parameters.
    public func executeScript(_ sql: String) throws(StoreError) {
        let status = sqlite3_exec(connection, sql, nil, nil, nil)
        guard status == SQLITE_OK else { throw Database.error(connection, status) }
    }

    /// Maps every result row.
    public func rows<T>(_ sql: String, _ values: [SQLValue] = [], _ map: (Row) throws(StoreError) -> T) throws(StoreError) -> [T] {
        let statement = try prepared(sql)
        defer { statement.reset() }
        try statement.bind(values)
        var result: [T] = []
        while try statement.step() {
            result.append(try map(Row(statement: statement.handle)))
        }
        return result
    }

    /// Maps the first result row, nil when there is none.
    public func row<T>(_ sql: String, _ values: [SQLValue] = [], _ map: (Row) throws(StoreError) -> T) throws(StoreError) -> T? {
        let statement = try prepared(sql)
        defer { statement.reset() }
        try statement.bind(values)
        guard try statement.step() else { return nil }
        return try map(Row(statement: statement.handle))
    }

    /// `PRAGMA user_version`: the schema version the migrations have reached.
    public func userVersion() throws(StoreError) -> Int64 {
        try row("PRAGMA user_version") { $0.int64(0) } ?? 0
    }

    private func prepared(_ sql: String) throws(StoreError) -> Statement {
        if let statement = statements[sql] { return statement }
        let statement = try Statement(sql: sql, connection: connection)
        statements[sql] = statement
        return statement
    }

    static func error(_ connection: OpaquePointer, _ status: Int32) -> StoreError {
        .sqlite(code: sqlite3_extended_errcode(connection), message: String(cString: sqlite3_errmsg(connection)))
    }
}
