/// The built-in issuer's signing key (`issuer.key`).
public struct IssuerKeyConfig: Sendable, Equatable, Decodable {
    /// Sent as the tokens' `kid` header and in the JWKS.
    public var kid: String?
    public var algorithm: JWSAlgorithm
    public var material: IssuerKeyMaterial
    public var jsonPath: String

    init(kid: String?, algorithm: JWSAlgorithm, material: IssuerKeyMaterial, jsonPath: String) {
        self.kid = kid
        self.algorithm = algorithm
        self.material = material
        self.jsonPath = jsonPath
    }

    public init(from decoder: any Decoder) throws {
        jsonPath = ConfigPath.render(decoder.codingPath)
        let r = try ObjectReader(decoder, known: ConfigKeys.issuerKey)
        kid = r.decode("kid", as: NonEmptyString.self)?.value
        let found = r.require("alg", as: JWSAlgorithm.self)
        algorithm = found ?? .es256
        material = .secretEnv("")
        switch (r.has("private_key"), r.has("secret_env")) {
        case (true, true): r.report("exactly one of private_key or secret_env is allowed, found both")
        case (false, false): r.report("exactly one of private_key or secret_env is required")
        case (true, false):
            // An HMAC key in a file would be a shared secret that anyone who can read the file could mint with.
            if let found, found.isHMAC {
                r.report("alg", "\(found.rawValue) needs secret_env; private_key holds an asymmetric key (RS*, PS*, ES*, EdDSA)")
            }
            material = .privateKey(r.decode("private_key", as: ConfigFilePath.self) ?? ConfigFilePath(original: "", resolved: ""))
        case (false, true):
            if let found, !found.isHMAC {
                r.report("alg", "\(found.rawValue) needs private_key; secret_env holds an HMAC secret (HS256, HS384, HS512)")
            }
            let name = r.decode("secret_env", as: String.self) ?? ""
            if case .string? = r.rawValue("secret_env"), !Names.isEnvironmentName(name) {
                r.report("secret_env", "\"\(name)\" is not an environment variable name (secrets are referenced by name, never inline)")
            }
            material = .secretEnv(name)
        }
    }
}

/// Where the signing key comes from.
public enum IssuerKeyMaterial: Sendable, Equatable {
    /// A PEM private key file (RS*, PS*, ES*, EdDSA); its public half is published at the JWKS endpoint.
    case privateKey(ConfigFilePath)
    /// The name of an environment variable holding an HMAC secret (HS*); never published.
    case secretEnv(String)
}
