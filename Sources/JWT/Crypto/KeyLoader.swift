import COpenSSL

/// Builds keys from configuration and JWKS input. Every entry point pins the algorithm and
/// checks the key against it, so nothing downstream trusts a token's `alg` header.
public enum KeyLoader {
    /// An HMAC verification key; RFC 7518 §3.2: the secret must be at least as long as the hash output.
    public static func hmacSecret(_ secret: [UInt8], algorithm: Algorithm, kid: String?) throws(KeyError) -> VerificationKey {
        VerificationKey(algorithm: algorithm, kid: kid, material: .secret(try checkedSecret(secret, algorithm: algorithm)))
    }

    /// An HMAC key that signs (token minting and tests) under the same length rule.
    public static func hmacSigningKey(_ secret: [UInt8], algorithm: Algorithm, kid: String?) throws(KeyError) -> SigningKey {
        SigningKey(algorithm: algorithm, kid: kid, material: .secret(try checkedSecret(secret, algorithm: algorithm)))
    }

    /// Known-answer tests only: Wycheproof uses secrets shorter than RFC 7518 allows. Configuration
    /// must use `hmacSecret`, which enforces the minimum.
    static func hmacSecretIgnoringLengthPolicy(
        _ secret: [UInt8], algorithm: Algorithm, kid: String?
    ) throws(KeyError) -> VerificationKey {
        guard algorithm.family == .hmac else { throw KeyError("\(algorithm.rawValue) is not an HMAC algorithm") }
        return VerificationKey(algorithm: algorithm, kid: kid, material: .secret(SecretBytes(secret)))
    }

    /// Wraps a parsed asymmetric key after the checks that bind it to `algorithm`.
    static func verificationKey(_ key: PKey, algorithm: Algorithm, kid: String?) throws(KeyError) -> VerificationKey {
        VerificationKey(algorithm: algorithm, kid: kid, material: try KeyPolicy.material(for: key, algorithm: algorithm))
    }

    private static func checkedSecret(_ secret: [UInt8], algorithm: Algorithm) throws(KeyError) -> SecretBytes {
        guard algorithm.family == .hmac else {
            // An asymmetric algorithm never gets a shared secret, so a public key cannot become an HMAC key.
            throw KeyError("\(algorithm.rawValue) is not an HMAC algorithm")
        }
        let minimum = KeyPolicy.minimumSecretLength(for: algorithm)
        guard secret.count >= minimum else {
            throw KeyError("\(algorithm.rawValue) secret is \(secret.count) bytes; RFC 7518 §3.2 requires at least \(minimum)")
        }
        return SecretBytes(secret)
    }

    /// Runs a loader and leaves the thread's OpenSSL error queue empty whatever happened.
    static func clearingErrors<T>(_ body: () throws(KeyError) -> T) throws(KeyError) -> T {
        defer { ERR_clear_error() }
        return try body()
    }
}
