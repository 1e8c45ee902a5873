/// A user record as stored.
public struct User: Sendable, Equatable {
    public var username: String
    /// PHC string; never the password.
    public var passwordHash: String
    public var roles: [String]
    public var disabled: Bool
    /// Unix seconds.
    public var createdAt: Int64

    public init(username: String, passwordHash: String, roles: [String], disabled: Bool, createdAt: Int64) {
        self.username = username
        self.passwordHash = passwordHash
        self.roles = roles
        self.disabled = disabled
        self.createdAt = createdAt
    }

    /// Usernames become the token's `sub` and log fields: 1–64 bytes of letters, digits and `._@+-`
    /// (e-mail addresses fit), so no control character, separator or look-alike can reach a token or a log line.
    public static func isValidUsername(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.utf8.allSatisfy { isNameByte($0) || "._@+-".utf8.contains($0) }
    }

    /// Roles are stored comma-joined, so a role may not contain a comma: 1–64 bytes of letters, digits and `._:-`.
    public static func isValidRole(_ role: String) -> Bool {
        (1...64).contains(role.utf8.count) && role.utf8.allSatisfy { isNameByte($0) || "._:-".utf8.contains($0) }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
