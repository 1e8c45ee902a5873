/// Every failure the store reports. SQLite failures carry SQLite's own code and message.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A SQLite call failed; `code` is the (extended) result code, `message` is `sqlite3_errmsg` at that moment.
    case sqlite(code: Int32, message: String)
    /// The database was written by a newer gateway: its schema version is above the ones this build knows.
    case schemaTooNew(found: Int64, supported: Int64)
    case userExists(String)
    case unknownUser(String)
    /// A username, role, token id or subject that the store refuses to record; `field` names which.
    case invalid(field: String, value: String)
    case passwordTooShort(minimum: Int)
    case passwordTooLong(maximum: Int)
    /// An OpenSSL call failed (out of memory, missing provider); the string names the step.
    case crypto(String)

    public var description: String {
        switch self {
        case .sqlite(let code, let message): "sqlite error \(code): \(message)"
        case .schemaTooNew(let found, let supported): "database schema v\(found) is newer than this build's v\(supported)"
        case .userExists(let name): "user '\(name)' already exists"
        case .unknownUser(let name): "no user '\(name)'"
        case .invalid(let field, let value): "invalid \(field) '\(value)'"
        case .passwordTooShort(let minimum): "password must have at least \(minimum) characters"
        case .passwordTooLong(let maximum): "password must have at most \(maximum) bytes"
        case .crypto(let step): "crypto failure: \(step)"
        }
    }
}
