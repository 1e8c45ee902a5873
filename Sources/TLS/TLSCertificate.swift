import COpenSSL

/// A certificate chain and its private key, as PEM file paths.
public struct TLSCertificateFiles: Sendable, Equatable {
    public var certificate: String
    public var key: String
    public init(certificate: String, key: String) {
        self.certificate = certificate
        self.key = key
    }
}

/// What a loaded certificate says about itself, for logs and `gateway check`.
public struct TLSCertificateInfo: Sendable, Equatable {
    public let files: TLSCertificateFiles
    /// The subject distinguished name, OpenSSL's one-line form.
    public let subject: String
    /// Lower-cased subjectAltName DNS names: the names SNI selects this certificate by.
    public let dnsNames: [String]
}

enum CertificateLoader {
    /// Loads a chain and its key into `ctx`; errors name the file at fault.
    static func load(_ files: TLSCertificateFiles, into ctx: OpaquePointer) throws(TLSError) -> TLSCertificateInfo {
        try OpenSSLError.checkReadable(files.certificate)
        try OpenSSLError.checkReadable(files.key)
        ERR_clear_error()
        guard SSL_CTX_use_certificate_chain_file(ctx, files.certificate) == 1 else {
            throw .invalidCertificate(path: files.certificate, reason: OpenSSLError.drain())
        }
        guard SSL_CTX_use_PrivateKey_file(ctx, files.key, SSL_FILETYPE_PEM) == 1 else {
            let reason = OpenSSLError.drain()
            // OpenSSL refuses a key of the certificate's type that does not match it at load time already.
            if reason.contains("key values mismatch") { throw .keyMismatch(certificate: files.certificate, key: files.key) }
            throw .invalidKey(path: files.key, reason: reason)
        }
        guard SSL_CTX_check_private_key(ctx) == 1 else {
            ERR_clear_error()
            throw .keyMismatch(certificate: files.certificate, key: files.key)
        }
        guard let cert = SSL_CTX_get0_certificate(ctx) else {
            throw .invalidCertificate(path: files.certificate, reason: "no certificate")
        }
        return TLSCertificateInfo(files: files, subject: subject(of: cert), dnsNames: dnsNames(of: cert))
    }

    static func subject(of cert: OpaquePointer) -> String {
        guard let p = X509_NAME_oneline(X509_get_subject_name(cert), nil, 0) else { return "" }
        defer { gw_openssl_free(p) }
        return String(cString: p)
    }

    static func dnsNames(of cert: OpaquePointer) -> [String] {
        guard let raw = X509_get_ext_d2i(cert, NID_subject_alt_name, nil, nil) else { return [] }
        let names = OpaquePointer(raw)
        defer { GENERAL_NAMES_free(names) }
        var out: [String] = []
        for i in 0..<OPENSSL_sk_num(names) {
            guard let v = OPENSSL_sk_value(names, i) else { continue }
            let gn = v.assumingMemoryBound(to: GENERAL_NAME.self)
            guard gn.pointee.type == GEN_DNS, let s = gn.pointee.d.dNSName, let data = ASN1_STRING_get0_data(s) else { continue }
            let bytes = UnsafeBufferPointer(start: data, count: Int(max(0, ASN1_STRING_length(s))))
            out.append(String(decoding: bytes, as: UTF8.self).lowercased())
        }
        return out
    }
}
