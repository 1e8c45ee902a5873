import COpenSSL

/// scrypt (RFC 7914) through OpenSSL 3's EVP_KDF "SCRYPT".
public enum Scrypt {
    /// Derives `length` bytes. `n` must be a power of two above 1; OpenSSL refuses parameters whose memory
    /// (128·r·N bytes) exceeds its 1 GiB default limit, which bounds what a tampered stored hash can cost.
    public static func derive(
        password: [UInt8], salt: [UInt8], n: UInt64, r: UInt32, p: UInt32, length: Int
    ) throws(StoreError) -> [UInt8] {
        guard let kdf = EVP_KDF_fetch(nil, "SCRYPT", nil) else { throw failure("EVP_KDF_fetch(SCRYPT)") }
        defer { EVP_KDF_free(kdf) }
        guard let context = EVP_KDF_CTX_new(kdf) else { throw failure("EVP_KDF_CTX_new") }
        defer { EVP_KDF_CTX_free(context) }
        // One parameter per call: OSSL_PARAM keeps the key's C string pointer, which Swift only lends for one call.
        var n = n
        var r = r
        var p = p
        let configured =
            setOctets(context, OSSL_KDF_PARAM_PASSWORD, password)
            && setOctets(context, OSSL_KDF_PARAM_SALT, salt)
            && set(context, OSSL_KDF_PARAM_SCRYPT_N) { OSSL_PARAM_construct_uint64($0, &n) }
            && set(context, OSSL_KDF_PARAM_SCRYPT_R) { OSSL_PARAM_construct_uint32($0, &r) }
            && set(context, OSSL_KDF_PARAM_SCRYPT_P) { OSSL_PARAM_construct_uint32($0, &p) }
        guard configured else { throw failure("scrypt parameters rejected") }
        var key = [UInt8](repeating: 0, count: length)
        let status = key.withUnsafeMutableBytes { buffer in
            EVP_KDF_derive(context, buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), buffer.count, nil)
        }
        guard status == 1 else { throw failure("EVP_KDF_derive(SCRYPT)") }
        return key
    }

    private static func set(_ context: OpaquePointer, _ key: String, _ make: (UnsafePointer<CChar>) -> OSSL_PARAM) -> Bool {
        key.withCString { name in
            var parameters = [make(name), OSSL_PARAM_construct_end()]
            return EVP_KDF_CTX_set_params(context, &parameters) == 1
        }
    }

    private static func setOctets(_ context: OpaquePointer, _ key: String, _ bytes: [UInt8]) -> Bool {
        // An empty password or salt is legal (RFC 7914 §12's first vector); a one-byte buffer with length 0 gives
        // OpenSSL a valid pointer either way.
        var storage = bytes.isEmpty ? [0] : bytes
        return storage.withUnsafeMutableBytes { buffer in
            set(context, key) { OSSL_PARAM_construct_octet_string($0, buffer.baseAddress, bytes.count) }
        }
    }

    private static func failure(_ step: String) -> StoreError {
        ERR_clear_error()
        return .crypto(step)
    }
}
