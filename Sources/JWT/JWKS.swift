import JSON

/// Reads a JWK Set (RFC 7517 §5) into verification keys (RFC 7518 §6, RFC 8037 for OKP).
public enum JWKS {
    /// Keys usable for JWS verification, in document order.
    ///
    /// - `use: "enc"` keys, keys whose `key_ops` lacks "verify", unknown `kty`/`crv` and algorithms
    ///   outside `allowedAlgorithms` are skipped (IdP sets routinely mix in encryption keys).
    /// - Each key needs an algorithm: its own `alg`, or else one key per entry of `allowedAlgorithms`
    ///   that fits its type. A key with neither is skipped; the algorithm never comes from a token.
    /// - `oct` (shared secret) keys throw unless `allowSymmetric`: a published key set holding a
    ///   secret means that secret is public. Private members (`d`, `p`, ...) throw for the same reason.
    /// - Throws when the document is not a JWK Set or no usable key remains.
    public static func parse(
        _ bytes: [UInt8], allowedAlgorithms: [Algorithm]? = nil, allowSymmetric: Bool = false
    ) throws(KeyError) -> [VerificationKey] {
        let document: JSONValue
        do throws(JSONError) {
            document = try JSONParser.parse(bytes)
        } catch {
            throw KeyError("JWKS is not valid JSON: \(error.description)")
        }
        guard let keys = document.objectValue?["keys"]?.arrayValue else {
            throw KeyError("JWKS must be an object with a \"keys\" array")
        }
        var result: [VerificationKey] = []
        for (index, entry) in keys.enumerated() {
            guard let jwk = entry.objectValue else { throw KeyError("JWKS key \(index) is not an object") }
            do throws(KeyError) {
                result += try parseKey(jwk, allowedAlgorithms: allowedAlgorithms, allowSymmetric: allowSymmetric)
            } catch {
                throw KeyError("JWKS key \(index): \(error.message)")
            }
        }
        guard !result.isEmpty else { throw KeyError("JWKS has no usable signature verification key") }
        return result
    }

    /// Keys from one JWK: empty when the key is skipped for a reason `parse` documents.
    public static func parseKey(
        _ jwk: JSONObject, allowedAlgorithms: [Algorithm]? = nil, allowSymmetric: Bool = false
    ) throws(KeyError) -> [VerificationKey] {
        guard let kty = jwk["kty"]?.stringValue else { throw KeyError("missing kty") }
        if kty == "oct" && !allowSymmetric { throw KeyError("symmetric (oct) keys are not accepted from a JWKS") }
        if let use = jwk["use"] {
            guard let useString = use.stringValue else { throw KeyError("use is not a string") }
            if useString != "sig" { return [] }
        }
        if let ops = jwk["key_ops"] {
            guard let list = ops.arrayValue else { throw KeyError("key_ops is not an array") }
            if !list.contains(.string("verify")) { return [] }
        }
        let kid = try optionalString("kid", jwk)
        let algorithms = try candidateAlgorithms(jwk, kty: kty, allowed: allowedAlgorithms)
        if algorithms.isEmpty { return [] }
        for member in ["d", "p", "q", "dp", "dq", "qi", "oth"] where jwk[member] != nil {
            throw KeyError("contains private key material (\(member))")
        }
        var keys: [VerificationKey] = []
        for algorithm in algorithms {
            switch kty {
            case "RSA":
                keys.append(
                    try KeyLoader.rsaPublic(
                        n: try bytes("n", jwk), e: try bytes("e", jwk), algorithm: algorithm, kid: kid))
            case "EC":
                keys.append(
                    try KeyLoader.ecPublic(
                        curve: try requiredString("crv", jwk), x: try bytes("x", jwk), y: try bytes("y", jwk),
                        algorithm: algorithm, kid: kid))
            case "OKP":
                keys.append(try KeyLoader.ed25519Public(x: try bytes("x", jwk), kid: kid))
            default:
                keys.append(try KeyLoader.hmacSecret(try bytes("k", jwk), algorithm: algorithm, kid: kid))
            }
        }
        return keys
    }

    /// The algorithms this key may verify: its `alg` if present and allowed, else every allowed
    /// algorithm that fits the key type and curve.
    private static func candidateAlgorithms(_ jwk: JSONObject, kty: String, allowed: [Algorithm]?) throws(KeyError)
        -> [Algorithm]
    {
        let fits: [Algorithm]
        switch kty {
        case "RSA": fits = [.RS256, .RS384, .RS512, .PS256, .PS384, .PS512]
        case "EC":
            switch try requiredString("crv", jwk) {
            case "P-256": fits = [.ES256]
            case "P-384": fits = [.ES384]
            case "P-521": fits = [.ES512]
            default: return []
            }
        case "OKP":
            guard try requiredString("crv", jwk) == "Ed25519" else { return [] }
            fits = [.EdDSA]
        case "oct": fits = [.HS256, .HS384, .HS512]
        default:
            return []
        }
        if let algValue = jwk["alg"] {
            guard let name = algValue.stringValue else { throw KeyError("alg is not a string") }
            guard let algorithm = Algorithm(rawValue: name), allowed?.contains(algorithm) ?? true else { return [] }
            guard fits.contains(algorithm) else { throw KeyError("alg \(name) does not fit kty \(kty)") }
            return [algorithm]
        }
        return fits.filter { allowed?.contains($0) ?? false }
    }

    private static func optionalString(_ name: String, _ jwk: JSONObject) throws(KeyError) -> String? {
        guard let value = jwk[name] else { return nil }
        guard let s = value.stringValue else { throw KeyError("\(name) is not a string") }
        return s
    }

    private static func requiredString(_ name: String, _ jwk: JSONObject) throws(KeyError) -> String {
        guard let s = try optionalString(name, jwk) else { throw KeyError("missing \(name)") }
        return s
    }

    private static func bytes(_ name: String, _ jwk: JSONObject) throws(KeyError) -> [UInt8] {
        guard let decoded = Base64URL.decode(try requiredString(name, jwk)), !decoded.isEmpty else {
            throw KeyError("\(name) is not base64url")
        }
        return decoded
    }
}
