import COpenSSL

extension KeyLoader {
    /// A public key from PEM: `PUBLIC KEY` (SubjectPublicKeyInfo), `RSA PUBLIC KEY` (PKCS#1) or `CERTIFICATE`
    /// (its subject key; the certificate itself is not validated).
    public static func publicKeyPEM(_ pem: [UInt8], algorithm: Algorithm, kid: String?) throws(KeyError) -> VerificationKey {
        try clearingErrors { () throws(KeyError) -> VerificationKey in
            let key = try withPEMBlock(pem) { (label, der) throws(KeyError) -> PKey in
                switch label {
                case "PUBLIC KEY": try decode(der) { d2i_PUBKEY(nil, &$0, $1) }
                case "RSA PUBLIC KEY": try decode(der) { d2i_PublicKey(EVP_PKEY_RSA, nil, &$0, $1) }
                case "CERTIFICATE": try certificateKey(der)
                default: throw KeyError("PEM block '\(label)' is not a public key or certificate")
                }
            }
            return try verificationKey(key, algorithm: algorithm, kid: kid)
        }
    }

    /// A private key from unencrypted PEM: `PRIVATE KEY` (PKCS#8), `RSA PRIVATE KEY` or `EC PRIVATE KEY`.
    public static func privateKeyPEM(_ pem: [UInt8], algorithm: Algorithm, kid: String?) throws(KeyError) -> SigningKey {
        try clearingErrors { () throws(KeyError) -> SigningKey in
            let key = try withPEMBlock(pem) { (label, der) throws(KeyError) -> PKey in
                switch label {
                case "PRIVATE KEY": try decode(der) { d2i_AutoPrivateKey(nil, &$0, $1) }
                case "RSA PRIVATE KEY": try decode(der) { d2i_PrivateKey(EVP_PKEY_RSA, nil, &$0, $1) }
                case "EC PRIVATE KEY": try decode(der) { d2i_PrivateKey(EVP_PKEY_EC, nil, &$0, $1) }
                case "ENCRYPTED PRIVATE KEY": throw KeyError("encrypted private keys are not supported")
                default: throw KeyError("PEM block '\(label)' is not a private key")
                }
            }
            // Validates type, size and curve exactly as for verification keys.
            _ = try KeyPolicy.material(for: key, algorithm: algorithm)
            return SigningKey(algorithm: algorithm, kid: kid, material: .pkey(key))
        }
    }

    /// Hands the first PEM block's label and DER body to `body`, then wipes and frees them.
    /// Reading the block ourselves (not `PEM_read_bio_PrivateKey`) means no passphrase prompt can ever run.
    private static func withPEMBlock<T>(
        _ pem: [UInt8], _ body: (String, UnsafeRawBufferPointer) throws(KeyError) -> T
    ) throws(KeyError) -> T {
        guard !pem.isEmpty, pem.count < Int(Int32.max) else { throw KeyError("PEM input is empty or too large") }
        var name: UnsafeMutablePointer<CChar>?
        var header: UnsafeMutablePointer<CChar>?
        var data: UnsafeMutablePointer<UInt8>?
        var length = 0
        let read = pem.withUnsafeBytes { bytes -> Int32 in
            guard let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else { return 0 }
            defer { BIO_free(bio) }
            return PEM_read_bio(bio, &name, &header, &data, &length)
        }
        defer {
            if let data { OPENSSL_cleanse(data, length) }
            gw_openssl_free(name)
            gw_openssl_free(header)
            gw_openssl_free(data)
        }
        guard read == 1, let name, let header, let data else { throw KeyError("input is not PEM") }
        // Legacy encrypted PEM carries "Proc-Type: 4,ENCRYPTED" headers; plain keys have none.
        guard header.pointee == 0 else { throw KeyError("encrypted PEM keys are not supported") }
        return try body(String(cString: name), UnsafeRawBufferPointer(start: data, count: length))
    }

    /// Runs one `d2i_*` decoder and insists it consumed the whole DER body, so trailing bytes are refused.
    private static func decode(
        _ der: UnsafeRawBufferPointer,
        _ d2i: (inout UnsafePointer<UInt8>?, Int) -> OpaquePointer?
    ) throws(KeyError) -> PKey {
        guard let start = der.baseAddress?.assumingMemoryBound(to: UInt8.self) else { throw KeyError("empty PEM body") }
        var cursor: UnsafePointer<UInt8>? = UnsafePointer(start)
        guard let key = d2i(&cursor, der.count) else { throw KeyError("PEM body is not a valid key") }
        let pkey = PKey(taking: key)
        guard cursor == UnsafePointer(start) + der.count else { throw KeyError("trailing bytes after the key") }
        return pkey
    }

    private static func certificateKey(_ der: UnsafeRawBufferPointer) throws(KeyError) -> PKey {
        guard let start = der.baseAddress?.assumingMemoryBound(to: UInt8.self) else { throw KeyError("empty PEM body") }
        var cursor: UnsafePointer<UInt8>? = UnsafePointer(start)
        guard let certificate = d2i_X509(nil, &cursor, der.count) else { throw KeyError("PEM body is not a certificate") }
        defer { X509_free(certificate) }
        guard let key = X509_get_pubkey(certificate) else { throw KeyError("certificate has no usable public key") }
        return PKey(taking: key)
    }
}
