import COpenSSL

extension KeyLoader {
    /// An RSA public key from JWK `n` and `e` (big-endian, base64url-decoded).
    public static func rsaPublic(n: [UInt8], e: [UInt8], algorithm: Algorithm, kid: String?) throws(KeyError) -> VerificationKey {
        try clearingErrors { () throws(KeyError) -> VerificationKey in
            guard algorithm.family == .rsaPKCS1 || algorithm.family == .rsaPSS else {
                throw KeyError("\(algorithm.rawValue) cannot use an RSA key")
            }
            guard !n.isEmpty, !e.isEmpty, n.count <= 2048, e.count <= 512 else {
                throw KeyError("RSA key has an empty or oversized modulus or exponent")
            }
            let key = try fromData(type: "RSA", [(OSSL_PKEY_PARAM_RSA_N, .integer(n)), (OSSL_PKEY_PARAM_RSA_E, .integer(e))])
            return try verificationKey(key, algorithm: algorithm, kid: kid)
        }
    }

    /// An EC public key from JWK `crv`, `x`, `y`; each coordinate must be exactly the curve's size (RFC 7518 §6.2.1.2).
    public static func ecPublic(
        curve: String, x: [UInt8], y: [UInt8], algorithm: Algorithm, kid: String?
    ) throws(KeyError) -> VerificationKey {
        try clearingErrors { () throws(KeyError) -> VerificationKey in
            guard let named = ECCurve(jwkName: curve) else { throw KeyError("unsupported EC curve '\(curve)'") }
            guard algorithm.curve == named else { throw KeyError("\(algorithm.rawValue) cannot use a key on \(curve)") }
            guard x.count == named.coordinateSize, y.count == named.coordinateSize else {
                throw KeyError("\(curve) coordinates must be \(named.coordinateSize) bytes each")
            }
            let point = [0x04] + x + y
            let key = try fromData(
                type: "EC", [(OSSL_PKEY_PARAM_GROUP_NAME, .text(named.groupName)), (OSSL_PKEY_PARAM_PUB_KEY, .octets(point))])
            return try verificationKey(key, algorithm: algorithm, kid: kid)
        }
    }

    /// An Ed25519 public key from JWK `x` (32 bytes, RFC 8037 §2).
    public static func ed25519Public(x: [UInt8], kid: String?) throws(KeyError) -> VerificationKey {
        try clearingErrors { () throws(KeyError) -> VerificationKey in
            guard x.count == 32 else { throw KeyError("Ed25519 public key must be 32 bytes") }
            guard let raw = EVP_PKEY_new_raw_public_key_ex(nil, "ED25519", nil, x, x.count) else {
                throw KeyError("invalid Ed25519 public key")
            }
            return try verificationKey(PKey(taking: raw), algorithm: .EdDSA, kid: kid)
        }
    }

    private enum Parameter {
        case integer([UInt8])
        case text(String)
        case octets([UInt8])
    }

    /// Builds a public key from OSSL_PARAMs. OSSL_PARAM_BLD and the params it builds keep names, strings and
    /// BIGNUMs by reference until the key is made, so this function owns C copies of all of them for its whole duration.
    private static func fromData(type: String, _ parameters: [(String, Parameter)]) throws(KeyError) -> PKey {
        var owned: [UnsafeMutableRawPointer] = []
        var numbers: [OpaquePointer] = []
        defer {
            owned.forEach { free($0) }
            numbers.forEach { BN_free($0) }
        }
        guard let builder = OSSL_PARAM_BLD_new() else { throw KeyError("out of memory") }
        defer { OSSL_PARAM_BLD_free(builder) }
        for (name, value) in parameters {
            guard let key = strdup(name) else { throw KeyError("out of memory") }
            owned.append(UnsafeMutableRawPointer(key))
            let pushed: Bool
            switch value {
            case .integer(let bytes):
                guard let number = BN_bin2bn(bytes, Int32(bytes.count), nil) else { throw KeyError("out of memory") }
                numbers.append(number)
                pushed = OSSL_PARAM_BLD_push_BN(builder, key, number) == 1
            case .text(let text):
                guard let copy = strdup(text) else { throw KeyError("out of memory") }
                owned.append(UnsafeMutableRawPointer(copy))
                pushed = OSSL_PARAM_BLD_push_utf8_string(builder, key, copy, 0) == 1
            case .octets(let bytes):
                guard let copy = malloc(max(bytes.count, 1)) else { throw KeyError("out of memory") }
                owned.append(copy)
                bytes.withUnsafeBytes { source in
                    if let base = source.baseAddress { copy.copyMemory(from: base, byteCount: source.count) }
                }
                pushed = OSSL_PARAM_BLD_push_octet_string(builder, key, copy, bytes.count) == 1
            }
            guard pushed else { throw KeyError("cannot build \(type) key parameters") }
        }
        guard let params = OSSL_PARAM_BLD_to_param(builder) else { throw KeyError("cannot build \(type) key parameters") }
        defer { OSSL_PARAM_free(params) }
        // The context keeps the key type name by reference too.
        guard let typeName = strdup(type) else { throw KeyError("out of memory") }
        owned.append(UnsafeMutableRawPointer(typeName))
        guard let context = EVP_PKEY_CTX_new_from_name(nil, typeName, nil) else { throw KeyError("\(type) unavailable") }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_fromdata_init(context) == 1,
            EVP_PKEY_fromdata(context, &key, publicKeySelection, params) == 1, let key
        else { throw KeyError("invalid \(type) public key") }
        return PKey(taking: key)
    }

    /// `EVP_PKEY_PUBLIC_KEY` is a composite macro that does not import.
    private static var publicKeySelection: Int32 {
        Int32(OSSL_KEYMGMT_SELECT_PUBLIC_KEY | OSSL_KEYMGMT_SELECT_ALL_PARAMETERS)
    }
}
