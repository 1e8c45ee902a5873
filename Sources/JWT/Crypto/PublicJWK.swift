import COpenSSL
import JSON

extension SigningKey {
    /// `{"keys":[...]}` with this key's public half, or no key for HMAC: the document an issuer publishes.
    public func publicJWKSDocument() throws(KeyError) -> [UInt8] {
        let keys: [JSONValue] = try publicJWK().map { [.object($0)] } ?? []
        var document: [UInt8] = []
        JSONWriter.serialize(JSONObject(members: [(key: "keys", value: .array(keys))]), to: &document)
        return document
    }

    /// The public half as a JWK (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2) with `kid` (if any), `alg` and
    /// `use: "sig"`, for a published key set. Nil for HMAC: a shared secret is never published.
    public func publicJWK() throws(KeyError) -> JSONObject? {
        guard case .pkey(let key) = material else { return nil }
        return try KeyLoader.clearingErrors { () throws(KeyError) -> JSONObject in
            var jwk = JSONObject()
            switch algorithm.family {
            case .rsaPKCS1, .rsaPSS:
                jwk["kty"] = "RSA"
                jwk["n"] = .string(Base64URL.encode(try Self.integer(key, OSSL_PKEY_PARAM_RSA_N, width: nil)))
                jwk["e"] = .string(Base64URL.encode(try Self.integer(key, OSSL_PKEY_PARAM_RSA_E, width: nil)))
            case .ecdsa:
                guard let curve = algorithm.curve else { throw KeyError("\(algorithm.rawValue) has no curve") }
                jwk["kty"] = "EC"
                jwk["crv"] = .string(curve.jwkName)
                // RFC 7518 §6.2.1.2: each coordinate is exactly the curve's size, leading zeros kept.
                let size = curve.coordinateSize
                jwk["x"] = .string(Base64URL.encode(try Self.integer(key, OSSL_PKEY_PARAM_EC_PUB_X, width: size)))
                jwk["y"] = .string(Base64URL.encode(try Self.integer(key, OSSL_PKEY_PARAM_EC_PUB_Y, width: size)))
            case .eddsa:
                jwk["kty"] = "OKP"
                jwk["crv"] = "Ed25519"
                jwk["x"] = .string(Base64URL.encode(try Self.rawPublicKey(key)))
            case .hmac:
                throw KeyError("\(algorithm.rawValue) has no public key")
            }
            if let kid { jwk["kid"] = .string(kid) }
            jwk["alg"] = .string(algorithm.rawValue)
            jwk["use"] = "sig"
            return jwk
        }
    }

    /// A big-endian unsigned integer parameter of `key`: minimal length when `width` is nil, else left-padded to it.
    private static func integer(_ key: PKey, _ name: String, width: Int?) throws(KeyError) -> [UInt8] {
        var number: OpaquePointer?
        guard EVP_PKEY_get_bn_param(key.pointer, name, &number) == 1, let number else {
            throw KeyError("cannot read the public key parameter \(name)")
        }
        defer { BN_free(number) }
        let minimal = (Int(BN_num_bits(number)) + 7) / 8
        let length = width ?? max(minimal, 1)
        guard minimal <= length else { throw KeyError("public key parameter \(name) is too large") }
        var bytes = [UInt8](repeating: 0, count: length)
        guard BN_bn2binpad(number, &bytes, Int32(length)) == Int32(length) else {
            throw KeyError("cannot encode the public key parameter \(name)")
        }
        return bytes
    }

    private static func rawPublicKey(_ key: PKey) throws(KeyError) -> [UInt8] {
        var length = 0
        guard EVP_PKEY_get_raw_public_key(key.pointer, nil, &length) == 1, length > 0 else {
            throw KeyError("cannot read the raw public key")
        }
        var bytes = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_get_raw_public_key(key.pointer, &bytes, &length) == 1 else {
            throw KeyError("cannot read the raw public key")
        }
        return Array(bytes.prefix(length))
    }
}

extension ECCurve {
    /// The JWK `crv` name (RFC 7518 §6.2.1.1).
    var jwkName: String {
        switch self {
        case .p256: "P-256"
        case .p384: "P-384"
        case .p521: "P-521"
        }
    }
}
