import Testing
@testable import Store

@Test func openCreatesTheFileInWALModeWithForeignKeys() throws {
    let temporary = TemporaryDatabase()
    #expect(!temporary.exists())
    let database = try temporary.open()
    #expect(temporary.exists())
    #expect(try database.row("PRAGMA journal_mode") { $0.text(0) } == "wal")
    #expect(try database.row("PRAGMA foreign_keys") { $0.int64(0) } == 1)
    #expect(try database.row("PRAGMA synchronous") { $0.int64(0) } == 2)
}

@Test(arguments: [
    SQLValue.integer(0), .integer(Int64.min), .integer(Int64.max), .text(""), .text("plain"), .text("ünïcødé ✓"),
    .text("nul\u{0}inside"), .blob([]), .blob([0, 1, 0xff, 0]), .null,
])
func valuesRoundTripWithTheirTypes(_ value: SQLValue) throws {
    let temporary = TemporaryDatabase()
    let database = try temporary.open(migrate: false)
    try database.execute("CREATE TABLE t (v ANY) STRICT")
    try database.execute("INSERT INTO t (v) VALUES (?)", [value])
    let read = try database.row("SELECT v, typeof(v) FROM t") { row -> (SQLValue, String) in
        let type = row.text(1)
        switch type {
        case "integer": return (.integer(row.int64(0)), type)
        case "text": return (.text(row.text(0)), type)
        case "blob": return (.blob(row.blob(0)), type)
        default: return (row.isNull(0) ? .null : .text("unexpected"), type)
        }
    }
    #expect(read?.0 == value)
}

@Test func transactionRollsBackWhenTheBodyThrows() throws {
    let temporary = TemporaryDatabase()
    let database = try temporary.open(migrate: false)
    try database.execute("CREATE TABLE t (v INTEGER) STRICT")
    #expect(throws: StoreError.unknownUser("x")) {
        try database.transaction { () throws(StoreError) in
            try database.execute("INSERT INTO t (v) VALUES (1)")
            throw StoreError.unknownUser("x")
        }
    }
    try database.transaction { () throws(StoreError) in try database.execute("INSERT INTO t (v) VALUES (2)") }
    #expect(try database.rows("SELECT v FROM t") { $0.int64(0) } == [2])
}

@Test func nestedTransactionFailureUndoesOnlyTheInnerWork() throws {
    let temporary = TemporaryDatabase()
    let database = try temporary.open(migrate: false)
    try database.execute("CREATE TABLE t (v INTEGER) STRICT")
    try database.transaction { () throws(StoreError) in
        try database.execute("INSERT INTO t (v) VALUES (1)")
        _ = try? database.transaction { () throws(StoreError) in
            try database.execute("INSERT INTO t (v) VALUES (2)")
            throw StoreError.unknownUser("inner")
        }
    }
    #expect(try database.rows("SELECT v FROM t") { $0.int64(0) } == [1])
}

/// SQLite's message when `body` fails with a SQLite error, nil otherwise.
func sqliteMessage(_ body: () throws(StoreError) -> Void) -> String? {
    do {
        try body()
        return nil
    } catch {
        guard case .sqlite(_, let message) = error else { return nil }
        return message
    }
}

@Test func errorsCarrySQLitesMessage() throws {
    let temporary = TemporaryDatabase()
    let database = try temporary.open(migrate: false)
    let syntax = sqliteMessage { () throws(StoreError) in try database.execute("SELEKT 1") }
    #expect(syntax?.contains("syntax error") == true)
    let parameters = sqliteMessage { () throws(StoreError) in try database.execute("SELECT ?", []) }
    #expect(parameters?.contains("parameters") == true)
}

@Test func aReusedStatementStartsFreshEachTime() throws {
    let temporary = TemporaryDatabase()
    let database = try temporary.open(migrate: false)
    try database.execute("CREATE TABLE t (v INTEGER) STRICT")
    for value in 1...3 { try database.execute("INSERT INTO t (v) VALUES (?)", [.integer(Int64(value))]) }
    #expect(try database.row("SELECT v FROM t WHERE v >= ? ORDER BY v", [.integer(2)]) { $0.int64(0) } == 2)
    #expect(try database.row("SELECT v FROM t WHERE v >= ? ORDER BY v", [.integer(3)]) { $0.int64(0) } == 3)
    #expect(try database.row("SELECT v FROM t WHERE v >= ? ORDER BY v", [.integer(4)]) { $0.int64(0) } == nil)
}

@Test func openingAFileThatIsNotADatabaseFails() throws {
    let temporary = TemporaryDatabase()
    #expect(throws: StoreError.self) { try Database(path: temporary.directory + "/missing-dir/store.db") }
}
