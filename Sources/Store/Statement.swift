import CSQLite

/// A prepared statement owned by one `Database`, kept for the connection's life and reset after every use.
final class Statement {
    let handle: OpaquePointer
    private let connection: OpaquePointer

    init(sql: String, connection: OpaquePointer) throws(StoreError) {
        var prepared: OpaquePointer?
        let status = sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard status == SQLITE_OK, let prepared else {
            sqlite3_finalize(prepared)
            throw Database.error(connection, status)
        }
        self.handle = prepared
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    func bind(_ values: [SQLValue]) throws(StoreError) {
        guard values.count == Int(sqlite3_bind_parameter_count(handle)) else {
            throw .sqlite(code: SQLITE_RANGE, message: "statement takes \(sqlite3_bind_parameter_count(handle)) parameters, got \(values.count)")
        }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32
            switch value {
            case .integer(let number):
                status = sqlite3_bind_int64(handle, index, number)
            case .null:
                status = sqlite3_bind_null(handle, index)
            case .text(let string):
                // withCString gives a non-nil pointer even for "" (a nil pointer would bind NULL); the explicit
                // byte length keeps an embedded NUL from truncating the value.
                status = string.withCString { pointer in
                    sqlite3_bind_text64(
                        handle, index, pointer, UInt64(string.utf8.count), gw_sqlite_transient(), UInt8(SQLITE_UTF8))
                }
            case .blob(let bytes):
                status = bytes.isEmpty
                    ? sqlite3_bind_zeroblob(handle, index, 0)
                    : bytes.withUnsafeBytes { buffer in
                        sqlite3_bind_blob64(handle, index, buffer.baseAddress, UInt64(buffer.count), gw_sqlite_transient())
                    }
            }
            guard status == SQLITE_OK else { throw Database.error(connection, status) }
        }
    }

    /// True when a row is ready, false when the statement is done.
    func step() throws(StoreError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let status: throw Database.error(connection, status)
        }
    }

    func reset() {
        // sqlite3_reset repeats the last step's error, already reported by step().
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }
}
