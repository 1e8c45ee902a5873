import COpenSSL

/// A private key or HMAC secret that signs for exactly one algorithm (token minting and tests).
public final class SigningKey: Sendable {
    public let algorithm: Algorithm
    public let kid: String?
    let material: Material

    enum Material: Sendable {
        case secret(SecretBytes)
        case pkey(PKey)
    }

    init(algorithm: Algorithm, kid: String?, material: Material) {
        self.algorithm = algorithm
        self.kid = kid
        self.material = material
    }

    /// The JWS signature of `input`; ECDSA signatures come out as raw r||s (RFC 7518 §3.4).
    public func sign(_ input: [UInt8]) throws(KeyError) -> [UInt8] {
        try KeyLoader.clearingErrors { () throws(KeyError) -> [UInt8] in
            switch material {
            case .secret(let secret): try signHMAC(secret, input)
            case .pkey(let key): try signAsymmetric(key, input)
            }
        }
    }

    /// The matching verification key; for asymmetric keys it holds only the public half.
    public func publicKey() throws(KeyError) -> VerificationKey {
        try KeyLoader.clearingErrors { () throws(KeyError) -> VerificationKey in
            switch material {
            case .secret(let secret):
                return VerificationKey(algorithm: algorithm, kid: kid, material: .secret(secret))
            case .pkey(let key):
                var der: UnsafeMutablePointer<UInt8>?
                let length = i2d_PUBKEY(key.pointer, &der)
                defer { gw_openssl_free(der) }
                guard length > 0, let der else { throw KeyError("cannot export the public key") }
                var cursor: UnsafePointer<UInt8>? = UnsafePointer(der)
                guard let publicOnly = d2i_PUBKEY(nil, &cursor, Int(length)) else {
                    throw KeyError("cannot export the public key")
                }
                return try KeyLoader.verificationKey(PKey(taking: publicOnly), algorithm: algorithm, kid: kid)
            }
        }
    }

    private func signHMAC(_ secret: SecretBytes, _ input: [UInt8]) throws(KeyError) -> [UInt8] {
        guard let digest = algorithm.digest else { throw KeyError("\(algorithm.rawValue) is not an HMAC algorithm") }
        let capacity = digest.length
        var mac = [UInt8](repeating: 0, count: capacity)
        var length = 0
        guard EVP_Q_mac(nil, "HMAC", nil, digest.name, nil, secret.pointer, secret.count, input, input.count,
                &mac, capacity, &length) != nil, length == capacity
        else { throw KeyError("HMAC computation failed") }
        return mac
    }

    private func signAsymmetric(_ key: PKey, _ input: [UInt8]) throws(KeyError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw KeyError("out of memory") }
        defer { EVP_MD_CTX_free(context) }
        var operation: OpaquePointer?
        guard EVP_DigestSignInit_ex(context, &operation, algorithm.digest?.name, nil, nil, key.pointer, nil) == 1,
            let operation
        else { throw KeyError("cannot start signing with \(algorithm.rawValue)") }
        if algorithm.family == .rsaPSS, let digest = algorithm.digest {
            // RFC 7518 §3.5: MGF1 with the signature hash and a salt as long as the hash.
            guard EVP_PKEY_CTX_set_rsa_padding(operation, RSA_PKCS1_PSS_PADDING) == 1,
                EVP_PKEY_CTX_set_rsa_pss_saltlen(operation, RSA_PSS_SALTLEN_DIGEST) == 1,
                EVP_PKEY_CTX_set_rsa_mgf1_md_name(operation, digest.name, nil) == 1
            else { throw KeyError("cannot configure RSA-PSS") }
        }
        // Size from the key, not a NULL-output EVP_DigestSign call: for streaming algorithms that call
        // would consume the input and the real call would then sign it twice.
        let capacity = Int(EVP_PKEY_get_size(key.pointer))
        guard capacity > 0 else { throw KeyError("cannot size the signature") }
        var signature = [UInt8](repeating: 0, count: capacity)
        var length = capacity
        guard EVP_DigestSign(context, &signature, &length, input, input.count) == 1, length <= capacity else {
            throw KeyError("\(algorithm.rawValue) signing failed")
        }
        signature.removeLast(capacity - length)
        guard let curve = algorithm.curve else { return signature }
        return try ECDSASignature.raw(fromDER: signature, coordinateSize: curve.coordinateSize)
    }
}
