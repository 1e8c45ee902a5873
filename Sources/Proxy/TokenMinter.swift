import Config
import Glibc
import JSON
import JWT

/// Signs tokens with an issuer's configured key: the HMAC secret from its environment variable, or the
/// private key named in the config or on the command line. Used by `gateway token`, the demo and the load
/// harness; the tokens verify through the same verifier as any other.
public struct TokenMinter {
    public let issuer: IssuerConfig
    public let key: SigningKey
    private let rolesPath: [String]

    public struct MintError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(
        config: GatewayConfig, issuerName: String, kid: String? = nil, privateKeyFile: String? = nil,
        environment: (String) -> String? = { getenv($0).map { String(cString: $0) } }
    ) throws(MintError) {
        guard let issuer = config.issuers.first(where: { $0.name == issuerName }) else {
            let known = config.issuers.map(\.name).joined(separator: ", ")
            throw MintError(description: "no issuer named \"\(issuerName)\" (known: \(known.isEmpty ? "none" : known))")
        }
        self.issuer = issuer
        rolesPath = SnapshotBuilder.claimPath(issuer.rolesClaim).segments
        let candidates = issuer.keys.filter { kid == nil || $0.kid == kid }
        guard !candidates.isEmpty else {
            throw MintError(description: "issuer \"\(issuerName)\" has no key with kid \"\(kid ?? "")\"")
        }
        var lastError = "issuer \"\(issuerName)\" has no key this command can sign with (an HMAC secret or a private key)"
        for k in candidates {
            switch k.material {
            case .secret(let alg, let env):
                guard let secret = environment(env), !secret.isEmpty else {
                    lastError = "environment variable \(env) is not set"
                    continue
                }
                do throws(KeyError) {
                    key = try KeyLoader.hmacSigningKey(Array(secret.utf8), algorithm: SnapshotBuilder.algorithm(alg), kid: k.kid)
                    return
                } catch { lastError = error.message }
            case .publicKey(let alg, _, let priv):
                guard let path = privateKeyFile ?? priv?.resolved else {
                    lastError = "no private key for \(alg.rawValue) key \(k.kid ?? ""): give --key FILE or private_key in the config"
                    continue
                }
                guard let pem = SnapshotBuilder.readFile(path) else {
                    lastError = "cannot read \(path)"
                    continue
                }
                do throws(KeyError) {
                    key = try KeyLoader.privateKeyPEM(pem, algorithm: SnapshotBuilder.algorithm(alg), kid: k.kid)
                    return
                } catch { lastError = error.message }
            case .jwksFile, .jwksURI:
                continue
            }
        }
        throw MintError(description: lastError)
    }

    /// A signed token for `subject` with `roles` at the issuer's roles claim path.
    public func mint(
        subject: String, roles: [String], ttlSeconds: Int64, now: Int64 = Int64(time(nil)), scopes: [String] = [],
        extra: [(String, JSONValue)] = []
    ) throws(MintError) -> String {
        var claims = JSONObject()
        claims["iss"] = .string(issuer.iss)
        claims["sub"] = .string(subject)
        if let aud = issuer.audiences.first { claims["aud"] = .string(aud) }
        claims["iat"] = .number(JSONNumber(now))
        claims["nbf"] = .number(JSONNumber(now))
        claims["exp"] = .number(JSONNumber(now + ttlSeconds))
        claims["jti"] = .string(randomID())
        if !roles.isEmpty { set(&claims, path: rolesPath[...], value: .array(roles.map { .string($0) })) }
        if !scopes.isEmpty {
            set(&claims, path: SnapshotBuilder.claimPath(issuer.scopesClaim).segments[...], value: .string(scopes.joined(separator: " ")))
        }
        for (k, v) in extra { claims[k] = v }
        do throws(KeyError) {
            return try TokenSigner.sign(claims: claims, key: key)
        } catch {
            throw MintError(description: error.message)
        }
    }

    private func set(_ obj: inout JSONObject, path: ArraySlice<String>, value: JSONValue) {
        guard let first = path.first else { return }
        if path.count == 1 {
            obj[first] = value
            return
        }
        var child = obj[first]?.objectValue ?? JSONObject()
        set(&child, path: path.dropFirst(), value: value)
        obj[first] = .object(child)
    }

    private func randomID() -> String {
        var s = ""
        for _ in 0..<4 { s += String(UInt32.random(in: .min ... .max), radix: 16) }
        return s
    }
}
