import COpenSSL

/// The checks that bind an asymmetric key to one algorithm; every loader goes through them,
/// so a key can never be used with an algorithm of another family (RFC 8725 §3.1).
enum KeyPolicy {
    static let minimumRSABits: Int32 = 2048
    static let maximumRSABits: Int32 = 16384

    /// The HMAC secret size RFC 7518 §3.2 requires: at least the hash output size.
    static func minimumSecretLength(for algorithm: Algorithm) -> Int {
        algorithm.digest?.length ?? 0
    }

    static func material(for key: PKey, algorithm: Algorithm) throws(KeyError) -> VerificationKey.Material {
        let type = EVP_PKEY_get_base_id(key.pointer)
        switch algorithm.family {
        case .hmac:
            throw KeyError("\(algorithm.rawValue) needs a shared secret, not an asymmetric key")
        case .rsaPKCS1, .rsaPSS:
            guard type == EVP_PKEY_RSA else {
                throw KeyError("\(algorithm.rawValue) needs an RSA key, got \(describe(type))")
            }
            return try rsaMaterial(key, algorithm: algorithm)
        case .ecdsa:
            guard type == EVP_PKEY_EC, let curve = algorithm.curve else {
                throw KeyError("\(algorithm.rawValue) needs an EC key, got \(describe(type))")
            }
            return try ecMaterial(key, curve: curve, algorithm: algorithm)
        case .eddsa:
            // Ed448 is refused: JWT libraries rarely interoperate on it and it is untested here.
            guard type == EVP_PKEY_ED25519 else {
                throw KeyError("EdDSA supports only Ed25519 keys, got \(describe(type))")
            }
            return .ed25519(key)
        }
    }

    private static func rsaMaterial(_ key: PKey, algorithm: Algorithm) throws(KeyError) -> VerificationKey.Material {
        let bits = EVP_PKEY_get_bits(key.pointer)
        guard bits >= minimumRSABits else {
            throw KeyError("RSA modulus is \(bits) bits; RFC 7518 §3.3 requires at least \(minimumRSABits)")
        }
        guard bits <= maximumRSABits else {
            throw KeyError("RSA modulus is \(bits) bits; at most \(maximumRSABits) are supported")
        }
        // e = 1 makes every padded message its own signature, and an even e is not an RSA key at all;
        // OpenSSL's verify path checks neither.
        var exponent: OpaquePointer?
        guard EVP_PKEY_get_bn_param(key.pointer, OSSL_PKEY_PARAM_RSA_E, &exponent) == 1, let e = exponent else {
            throw KeyError("cannot read the RSA public exponent")
        }
        defer { BN_free(e) }
        guard BN_is_odd(e) == 1, BN_num_bits(e) >= 2 else {
            throw KeyError("RSA public exponent must be odd and at least 3")
        }
        return .rsa(key, modulusBytes: Int(EVP_PKEY_get_size(key.pointer)))
    }

    private static func ecMaterial(
        _ key: PKey, curve: ECCurve, algorithm: Algorithm
    ) throws(KeyError) -> VerificationKey.Material {
        // A named group only: explicit curve parameters in a key are an attack surface (CVE-2022-0778).
        var name = [CChar](repeating: 0, count: 64)
        var nameLength = 0
        guard EVP_PKEY_get_group_name(key.pointer, &name, name.count, &nameLength) == 1 else {
            throw KeyError("EC key does not name a standard curve")
        }
        let group = String(decoding: name.prefix(nameLength).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard group == curve.groupName else {
            throw KeyError("\(algorithm.rawValue) needs curve \(curve.groupName), key is on \(group)")
        }
        // Rejects points off the curve or at infinity (invalid-curve attacks on JWK input).
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key.pointer, nil) else {
            throw KeyError("cannot check the EC public key")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_public_check(context) == 1 else {
            throw KeyError("EC public key is not a valid point on \(curve.groupName)")
        }
        return .ec(key, curve: curve, order: try groupOrder(curve))
    }

    private static func groupOrder(_ curve: ECCurve) throws(KeyError) -> [UInt8] {
        guard let group = EC_GROUP_new_by_curve_name(curve.nid) else {
            throw KeyError("curve \(curve.groupName) is unavailable")
        }
        defer { EC_GROUP_free(group) }
        var order = [UInt8](repeating: 0, count: curve.coordinateSize)
        guard let n = EC_GROUP_get0_order(group),
            BN_bn2binpad(n, &order, Int32(order.count)) == Int32(order.count)
        else {
            throw KeyError("cannot read the order of \(curve.groupName)")
        }
        return order
    }

    private static func describe(_ type: Int32) -> String {
        switch type {
        case EVP_PKEY_RSA: "RSA"
        case EVP_PKEY_RSA_PSS: "RSA-PSS (restricted key; use a plain RSA key)"
        case EVP_PKEY_EC: "EC"
        case EVP_PKEY_ED25519: "Ed25519"
        case EVP_PKEY_ED448: "Ed448"
        default: "an unsupported key type"
        }
    }
}
