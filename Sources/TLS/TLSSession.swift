import COpenSSL
import Glibc

/// One TLS connection over a non-blocking socket the caller owns and polls (edge-triggered epoll). Every
/// call returns at once: `.wantRead`/`.wantWrite` say which readiness to wait for before calling again.
/// A read may return fewer bytes than the socket held (one record at a time): the caller keeps reading
/// until `.wantRead`, since no new epoll edge announces bytes already taken from the socket.
/// Not thread-safe: one worker owns it. Closing the socket stays with the caller.
public final class TLSSession {
    let ssl: OpaquePointer
    /// Keeps the context, and so the SNI and ticket callback targets it points to, alive while this session is.
    private let owner: AnyObject
    /// After a fatal error OpenSSL forbids SSL_shutdown.
    private var broken = false

    /// The server side of an accepted connection.
    public init(server: TLSServerContext, fd: Int32) throws(TLSError) {
        guard let s = SSL_new(server.defaultContext) else { throw .resources("SSL_new: \(OpenSSLError.drain())") }
        ssl = s
        owner = server
        SSL_set_accept_state(s)
        guard SSL_set_fd(s, fd) == 1 else { throw .resources("SSL_set_fd: \(OpenSSLError.drain())") }
    }

    /// The client side of a connected socket. `serverName` is sent as SNI (unless it is an IP address) and
    /// is the name, or address, the certificate must carry when the context verifies.
    public init(client: TLSClientContext, fd: Int32, serverName: String) throws(TLSError) {
        guard let s = SSL_new(client.box.ctx) else { throw .resources("SSL_new: \(OpenSSLError.drain())") }
        ssl = s
        owner = client
        SSL_set_connect_state(s)
        guard SSL_set_fd(s, fd) == 1 else { throw .resources("SSL_set_fd: \(OpenSSLError.drain())") }
        if Self.isIPAddress(serverName) {
            // RFC 6066 §3: SNI carries host names only; an address is checked against the iPAddress SANs.
            if client.verifies, X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(s), serverName) != 1 {
                throw .invalidSetting("server name \(serverName): \(OpenSSLError.drain())")
            }
        } else {
            guard gw_ssl_set_tlsext_host_name(s, serverName) == 1 else {
                throw .invalidSetting("server name \(serverName): \(OpenSSLError.drain())")
            }
            // Without the host check a valid certificate for any name would do: anyone with a CA-signed
            // certificate could stand in for the upstream.
            if client.verifies, SSL_set1_host(s, serverName) != 1 {
                throw .invalidSetting("server name \(serverName): \(OpenSSLError.drain())")
            }
        }
    }

    deinit { SSL_free(ssl) }

    private static func isIPAddress(_ s: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, s, &v4) == 1 || inet_pton(AF_INET6, s, &v6) == 1
    }

    /// Advances the handshake as far as the socket allows.
    public func handshake() -> TLSStatus {
        ERR_clear_error()
        let rc = SSL_do_handshake(ssl)
        if rc == 1 { return .done }
        switch SSL_get_error(ssl, rc) {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case let code:
            broken = true
            return .failed(failureReason(code))
        }
    }

    /// Decrypted bytes into `buffer`.
    @inline(__always)
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> TLSIO {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return .bytes(0) }
        ERR_clear_error()
        let n = SSL_read(ssl, base, Int32(clamping: buffer.count))
        if n > 0 { return .bytes(Int(n)) }
        return ioFailure(n)
    }

    /// Encrypts and sends bytes from `buffer`; with partial writes on, `.bytes(n)` may be fewer than asked.
    /// After `.wantWrite` call again with the same bytes first (the buffer may have moved).
    @inline(__always)
    public func write(from buffer: UnsafeRawBufferPointer) -> TLSIO {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return .bytes(0) }
        ERR_clear_error()
        let n = SSL_write(ssl, base, Int32(clamping: buffer.count))
        if n > 0 { return .bytes(Int(n)) }
        return ioFailure(n)
    }

    /// Decrypted bytes OpenSSL holds that the socket no longer shows.
    public var pending: Int { Int(SSL_pending(ssl)) }

    /// Sends close_notify once, without waiting for the peer's (the socket closes right after).
    public func shutdown() {
        guard !broken, SSL_is_init_finished(ssl) == 1 else { return }
        broken = true
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    /// The negotiated protocol, e.g. "TLSv1.3".
    public var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

    /// The SNI name the client sent, if any (server side).
    public var requestedServerName: String? {
        SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name).map { String(cString: $0) }
    }

    /// The subject of the certificate this side presented (server side) or received (client side).
    public var certificateSubject: String? {
        if let own = SSL_get_certificate(ssl) { return CertificateLoader.subject(of: own) }
        guard let peer = SSL_get1_peer_certificate(ssl) else { return nil }
        defer { X509_free(peer) }
        return CertificateLoader.subject(of: peer)
    }

    /// Whether the last handshake resumed a session (ticket).
    public var resumed: Bool { SSL_session_reused(ssl) == 1 }

    private func ioFailure(_ rc: Int32) -> TLSIO {
        let code = SSL_get_error(ssl, rc)
        switch code {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_ZERO_RETURN: return .closed
        case SSL_ERROR_SSL where ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING:
            // EOF without close_notify. HTTP's own framing tells a truncated message from a whole one, and
            // most clients close this way, so this counts as a close, not an attack.
            broken = true
            ERR_clear_error()
            return .closed
        default:
            broken = true
            return .failed(failureReason(code))
        }
    }

    private func failureReason(_ code: Int32) -> String {
        let e = errno
        let verify = SSL_get_verify_result(ssl)
        if verify != Int(X509_V_OK) {
            ERR_clear_error()
            return "certificate verification failed: \(String(cString: X509_verify_cert_error_string(verify)))"
        }
        if code == SSL_ERROR_SYSCALL, ERR_peek_error() == 0 {
            return e == 0 ? "connection closed during handshake" : String(cString: strerror(e))
        }
        return OpenSSLError.drain()
    }
}
