/// The scrypt cost for new password hashes (`issuer.password_hash`): N = 2^ln, block size r, parallelism p.
public struct PasswordHashConfig: Sendable, Equatable, Decodable {
    public var ln = 15
    public var r = 8
    public var p = 1
    public var jsonPath: String

    init(jsonPath: String) { self.jsonPath = jsonPath }

    public init(from decoder: any Decoder) throws {
        jsonPath = ConfigPath.render(decoder.codingPath)
        let reader = try ObjectReader(decoder, known: ConfigKeys.passwordHash)
        ln = reader.int("ln", default: ln, in: 14...20)
        r = reader.int("r", default: r, in: 1...32)
        p = reader.int("p", default: p, in: 1...16)
        // OpenSSL refuses scrypt above 1GiB of memory, which would make every login fail at run time.
        let bytes = (128 * r) << ln
        if bytes > 1 << 30 {
            reader.report(
                "ln \(ln) with r \(r) needs \(ByteSize.format(bytes)) per hash (128·r·2^ln bytes); at most 1GiB is possible")
        }
    }
}
