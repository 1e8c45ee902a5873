/// Hashes passwords with scrypt into PHC strings and verifies them in constant time.
public struct PasswordHasher: Sendable {
    /// The cost new hashes get; a stored hash below it `needsRehash`.
    public let parameters: ScryptParameters
    /// A hash of a random password at the current cost: verifying an unknown user's attempt against it makes
    /// "no such user" take as long as "wrong password", so timing does not reveal which usernames exist.
    public let dummyHash: String

    static let saltLength = 16
    static let hashLength = 32

    public init(parameters: ScryptParameters = .default) throws(StoreError) {
        guard parameters.isAccepted else {
            throw .invalid(field: "scrypt parameters", value: "ln=\(parameters.logN),r=\(parameters.r),p=\(parameters.p)")
        }
        self.parameters = parameters
        let unguessable = Base64.encode(try Crypto.randomBytes(32), .standard)
        self.dummyHash = try Self.hash(unguessable, parameters: parameters)
    }

    /// A fresh PHC string with a new random salt. Does not apply `PasswordPolicy`: callers creating a password do.
    public func hash(_ password: String) throws(StoreError) -> String {
        try Self.hash(password, parameters: parameters)
    }

    /// True when `password` matches `phc`. A nil (unknown user) or malformed `phc` is verified against the dummy
    /// hash, at the same cost, and yields false.
    public func verify(_ password: String, against phc: String?) -> Bool {
        guard let phc, let stored = PHCString(parsing: phc) else {
            _ = Self.matches(password, PHCString(parsing: dummyHash))
            return false
        }
        return Self.matches(password, stored)
    }

    /// True when `phc` was made with weaker parameters (or a shorter salt or hash) than today's, or is unreadable:
    /// the caller re-hashes on the next successful login.
    public func needsRehash(_ phc: String) -> Bool {
        guard let stored = PHCString(parsing: phc) else { return true }
        return !stored.parameters.isAtLeast(parameters) || stored.salt.count < Self.saltLength
            || stored.hash.count < Self.hashLength
    }

    private static func hash(_ password: String, parameters: ScryptParameters) throws(StoreError) -> String {
        let salt = try Crypto.randomBytes(saltLength)
        let hash = try derive(password, salt: salt, parameters: parameters, length: hashLength)
        return PHCString(parameters: parameters, salt: salt, hash: hash).encoded
    }

    private static func matches(_ password: String, _ stored: PHCString?) -> Bool {
        guard let stored,
            let derived = try? derive(password, salt: stored.salt, parameters: stored.parameters, length: stored.hash.count)
        else { return false }
        // Constant time: an early-exit compare would leak how many leading bytes of the hash a guess got right.
        return Crypto.constantTimeEqual(derived, stored.hash)
    }

    private static func derive(
        _ password: String, salt: [UInt8], parameters: ScryptParameters, length: Int
    ) throws(StoreError) -> [UInt8] {
        try Scrypt.derive(
            password: Array(password.utf8), salt: salt, n: parameters.n, r: UInt32(parameters.r), p: UInt32(parameters.p),
            length: length)
    }
}
