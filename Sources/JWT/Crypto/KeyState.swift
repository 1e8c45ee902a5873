import COpenSSL

/// One key's prepared OpenSSL context inside a `CryptoContext`: an HMAC context keyed once, or an
/// `EVP_PKEY_CTX` with padding and digest already set. It retains its key, so the `ObjectIdentifier`
/// it is cached under cannot be reused by another key while the entry lives.
final class KeyState {
    let key: VerificationKey
    let context: OpaquePointer
    private let isMAC: Bool

    init?(_ key: VerificationKey, hmac: OpaquePointer, digests: [OpaquePointer]) {
        guard let digest = key.algorithm.digest else { return nil }
        let prepared: OpaquePointer?
        switch key.material {
        case .secret(let secret):
            prepared = Self.macContext(secret, digest: digest, hmac: hmac)
            isMAC = true
        case .rsa(let pkey, _), .ec(let pkey, _, _):
            prepared = Self.verifyContext(pkey, algorithm: key.algorithm, digest: digests[digest.rawValue])
            isMAC = false
        case .ed25519:
            return nil
        }
        guard let prepared else { return nil }
        self.key = key
        context = prepared
    }

    deinit {
        if isMAC { EVP_MAC_CTX_free(context) } else { EVP_PKEY_CTX_free(context) }
    }

    private static func macContext(_ secret: SecretBytes, digest: Digest, hmac: OpaquePointer) -> OpaquePointer? {
        guard let context = EVP_MAC_CTX_new(hmac) else { return nil }
        // The parameter array only lives during EVP_MAC_init, which copies what it needs.
        let keyed = OSSL_MAC_PARAM_DIGEST.withCString { parameter in
            digest.name.withCString { name in
                var parameters = [
                    OSSL_PARAM_construct_utf8_string(parameter, UnsafeMutablePointer(mutating: name), 0),
                    OSSL_PARAM_construct_end(),
                ]
                return EVP_MAC_init(
                    context, secret.pointer.assumingMemoryBound(to: UInt8.self), secret.count, &parameters) == 1
            }
        }
        guard keyed else {
            EVP_MAC_CTX_free(context)
            return nil
        }
        return context
    }

    private static func verifyContext(_ key: PKey, algorithm: Algorithm, digest: OpaquePointer) -> OpaquePointer? {
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key.pointer, nil) else { return nil }
        var ready = EVP_PKEY_verify_init(context) == 1 && EVP_PKEY_CTX_set_signature_md(context, digest) == 1
        switch algorithm.family {
        case .rsaPKCS1:
            ready = ready && EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) == 1
        case .rsaPSS:
            // RFC 7518 §3.5: MGF1 with the same hash, salt exactly the hash length. SALTLEN_DIGEST makes
            // OpenSSL demand that length on verify; "auto" would accept any salt.
            ready = ready && EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PSS_PADDING) == 1
                && EVP_PKEY_CTX_set_rsa_pss_saltlen(context, RSA_PSS_SALTLEN_DIGEST) == 1
                && EVP_PKEY_CTX_set_rsa_mgf1_md(context, digest) == 1
        case .ecdsa, .hmac, .eddsa:
            break
        }
        guard ready else {
            EVP_PKEY_CTX_free(context)
            return nil
        }
        return context
    }
}
