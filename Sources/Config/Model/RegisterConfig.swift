/// Self-service sign-up at the register endpoint (`issuer.register`).
public struct RegisterConfig: Sendable, Equatable, Decodable {
    /// Off by default: an open sign-up endpoint lets anyone create an account.
    public var enabled = false
    /// Roles every self-registered user gets.
    public var roles: [String] = []
    public var jsonPath: String

    init(jsonPath: String) { self.jsonPath = jsonPath }

    public init(from decoder: any Decoder) throws {
        jsonPath = ConfigPath.render(decoder.codingPath)
        let r = try ObjectReader(decoder, known: ConfigKeys.register)
        enabled = r.bool("enabled", default: enabled)
        if let list = r.indexedList("roles", of: RoleName.self) {
            roles = list.map(\.value.value)
            r.reportRepeats("roles", list.map { ($0.index, $0.value.value) }) { $0 }
        }
    }
}

/// A role as the user store keeps it: no commas or spaces, since roles are listed comma-separated in headers.
struct RoleName: Decodable {
    let value: String

    init(from decoder: any Decoder) throws {
        value = try decoder.string(expecting: "a role name")
        let valid = !value.isEmpty && value.utf8.allSatisfy { b in
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || "_-.:".utf8.contains(b)
        }
        if !valid { throw decoder.invalid("\"\(value)\" is not a role name (letters, digits, \"_\", \"-\", \".\" and \":\")") }
    }
}
