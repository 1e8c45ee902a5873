import COpenSSL

/// The TLS side of connections the gateway makes (to https upstreams, to identity providers): the trust
/// anchors and whether the peer is verified at all. Sessions add the name to check and send as SNI.
public final class TLSClientContext: Sendable {
    let box: SSLContextBox
    /// False only when the operator turned verification off (`gateway check` warns about it).
    public let verifies: Bool

    /// `caFile` nil: the system's default trust store. Throws naming an unreadable or empty CA file.
    public init(caFile: String? = nil, verify: Bool = true, minVersion: TLSVersion = .tls12) throws(TLSError) {
        box = try SSLContextBox(method: TLS_client_method())
        verifies = verify
        let ctx = box.ctx
        guard gw_ssl_ctx_set_min_proto_version(ctx, minVersion == .tls13 ? TLS1_3_VERSION : TLS1_2_VERSION) == 1 else {
            throw .resources("SSL_CTX_set_min_proto_version: \(OpenSSLError.drain())")
        }
        gw_ssl_ctx_set_client_options(ctx)
        gw_ssl_ctx_set_nonblocking_modes(ctx)
        ERR_clear_error()
        guard SSL_CTX_set_cipher_list(ctx, TLSServerContext.intermediateCiphers) == 1 else {
            throw .resources("SSL_CTX_set_cipher_list: \(OpenSSLError.drain())")
        }
        if let caFile {
            try OpenSSLError.checkReadable(caFile)
            guard SSL_CTX_load_verify_locations(ctx, caFile, nil) == 1 else {
                throw .invalidCA(path: caFile, reason: OpenSSLError.drain())
            }
        } else if SSL_CTX_set_default_verify_paths(ctx) != 1 {
            throw .resources("SSL_CTX_set_default_verify_paths: \(OpenSSLError.drain())")
        }
        SSL_CTX_set_verify(ctx, verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nil)
    }
}
