/// One verification key of an issuer.
public struct KeyConfig: Sendable, Equatable, Decodable {
    public var kid: String?
    public var material: KeyMaterial
    public var jsonPath: String

    public init(from decoder: any Decoder) throws {
        jsonPath = ConfigPath.render(decoder.codingPath)
        let r = try ObjectReader(decoder, known: ConfigKeys.key)
        kid = r.decode("kid", as: NonEmptyString.self)?.value
        let kinds = ["secret_env", "public_key", "jwks_file", "jwks_uri"].filter(r.has)
        guard kinds.count == 1, let kind = kinds.first else {
            r.report(
                kinds.isEmpty
                    ? "exactly one of secret_env, public_key, jwks_file or jwks_uri is required"
                    : "exactly one of secret_env, public_key, jwks_file or jwks_uri is allowed, found \(kinds.joined(separator: " and "))")
            material = .secret(algorithm: .hs256, environmentVariable: "")
            return
        }
        let owners = [("private_key", ["public_key"]), ("algs", ["jwks_file", "jwks_uri"]), ("ca", ["jwks_uri"])]
        for (key, allowed) in owners where r.has(key) && !allowed.contains(kind) {
            r.report(key, "only allowed with \(allowed.joined(separator: " or "))")
        }
        switch kind {
        case "jwks_uri":
            if r.has("alg") { r.report("alg", "not used with jwks_uri; list allowed algorithms in algs") }
            if r.has("kid") { r.report("kid", "not used with jwks_uri; the JWKS names its keys") }
            let url = r.decode("jwks_uri", as: String.self) ?? ""
            if case .string? = r.rawValue("jwks_uri"), let problem = RemoteURL.check(url) { r.report("jwks_uri", problem) }
            material = .jwksURI(
                url: url, algorithms: r.list("algs", of: JWSAlgorithm.self) ?? [], ca: r.decode("ca", as: ConfigFilePath.self))
        case "jwks_file":
            if r.has("alg") { r.report("alg", "not used with jwks_file; list allowed algorithms in algs") }
            if r.has("kid") { r.report("kid", "not used with jwks_file; the JWKS names its keys") }
            let file = r.decode("jwks_file", as: ConfigFilePath.self) ?? ConfigFilePath(original: "", resolved: "")
            material = .jwksFile(file, algorithms: r.list("algs", of: JWSAlgorithm.self) ?? [])
        case "secret_env":
            let algorithm = r.require("alg", as: JWSAlgorithm.self)
            if let algorithm, !algorithm.isHMAC {
                r.report("alg", "\(algorithm.rawValue) needs public_key or jwks_file; secret_env holds an HMAC secret (HS256, HS384, HS512)")
            }
            let name = r.decode("secret_env", as: String.self) ?? ""
            if case .string? = r.rawValue("secret_env"), !Names.isEnvironmentName(name) {
                r.report("secret_env", "\"\(name)\" is not an environment variable name (secrets are referenced by name, never inline)")
            }
            material = .secret(algorithm: algorithm ?? .hs256, environmentVariable: name)
        default:
            let algorithm = r.require("alg", as: JWSAlgorithm.self)
            // An HMAC "public" key would let anyone who can read the key file mint tokens.
            if let algorithm, algorithm.isHMAC {
                r.report("alg", "\(algorithm.rawValue) needs secret_env; public_key holds an asymmetric public key")
            }
            material = .publicKey(
                algorithm: algorithm ?? .rs256,
                publicKey: r.decode("public_key", as: ConfigFilePath.self) ?? ConfigFilePath(original: "", resolved: ""),
                privateKey: r.decode("private_key", as: ConfigFilePath.self))
        }
    }
}

/// Where a key's material comes from.
public enum KeyMaterial: Sendable, Equatable {
    /// An HMAC secret read from an environment variable at startup.
    case secret(algorithm: JWSAlgorithm, environmentVariable: String)
    /// A PEM public key; the private key is only for `gateway token`.
    case publicKey(algorithm: JWSAlgorithm, publicKey: ConfigFilePath, privateKey: ConfigFilePath?)
    /// A JWKS document; `algorithms` allow-lists keys that carry no `alg`.
    case jwksFile(ConfigFilePath, algorithms: [JWSAlgorithm])
    /// A JWKS fetched from an https URL and refreshed (`IssuerConfig.jwks`); `ca` nil: the system store.
    case jwksURI(url: String, algorithms: [JWSAlgorithm], ca: ConfigFilePath?)
}

/// JWS algorithms the config may pin. "none" is deliberately absent.
public enum JWSAlgorithm: String, Sendable, Equatable, CaseIterable, Decodable {
    case hs256 = "HS256", hs384 = "HS384", hs512 = "HS512"
    case rs256 = "RS256", rs384 = "RS384", rs512 = "RS512"
    case ps256 = "PS256", ps384 = "PS384", ps512 = "PS512"
    case es256 = "ES256", es384 = "ES384", es512 = "ES512"
    case edDSA = "EdDSA"

    public var isHMAC: Bool { self == .hs256 || self == .hs384 || self == .hs512 }

    public init(from decoder: any Decoder) throws {
        if case .string(let text)? = decoder.jsonValue, text.lowercased() == "none" {
            throw decoder.invalid("\"none\" is never accepted: tokens must be signed")
        }
        self = try ConfigEnum.decode(decoder, what: "algorithm")
    }
}
