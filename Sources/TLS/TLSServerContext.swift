import COpenSSL

/// The TLS side of one listener: one SSL_CTX per certificate, the default one first; SNI picks another by
/// its subjectAltName DNS names. Built once from files and then only read, by every worker at once.
public final class TLSServerContext: Sendable {
    /// Mozilla's "intermediate" TLS 1.2 list, reduced to ECDHE key exchange with AEAD ciphers (forward
    /// secrecy and no CBC padding oracles). TLS 1.3 suites are OpenSSL's defaults, all AEAD.
    public static let intermediateCiphers =
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
        + "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"

    /// The certificates served, the default first (subjects and SAN names, for logs).
    public let certificates: [TLSCertificateInfo]
    let contexts: [SSLContextBox]
    let names: ServerNameTable
    private let tickets: TicketKeys?

    var defaultContext: OpaquePointer { contexts[0].ctx }

    /// Loads the certificates and configures every context alike. Throws naming the file or setting at fault.
    public init(
        defaultCertificate: TLSCertificateFiles, certificates more: [TLSCertificateFiles] = [], minVersion: TLSVersion = .tls12,
        ciphers: String = TLSServerContext.intermediateCiphers, sessionTickets: Bool = true,
        ticketKeyRotation: Duration = .seconds(3600)
    ) throws(TLSError) {
        let tickets = sessionTickets ? try TicketKeys(rotation: ticketKeyRotation) : nil
        var boxes: [SSLContextBox] = []
        var infos: [TLSCertificateInfo] = []
        for files in [defaultCertificate] + more {
            let box = try SSLContextBox(method: TLS_server_method())
            try Self.configure(box.ctx, minVersion: minVersion, ciphers: ciphers, tickets: tickets, rotation: ticketKeyRotation)
            infos.append(try CertificateLoader.load(files, into: box.ctx))
            boxes.append(box)
        }
        contexts = boxes
        certificates = infos
        self.tickets = tickets
        names = ServerNameTable(infos.enumerated().map { ($0.element.dnsNames, boxes[$0.offset].ctx) })
        // The SNI callback runs on the context a session was created from: the default one.
        gw_ssl_ctx_set_servername_callback(boxes[0].ctx, serverNameCallback, Unmanaged.passUnretained(names).toOpaque())
    }

    private static func configure(
        _ ctx: OpaquePointer, minVersion: TLSVersion, ciphers: String, tickets: TicketKeys?, rotation: Duration
    ) throws(TLSError) {
        // Below TLS 1.2 every protocol version has known downgrade and padding attacks.
        guard gw_ssl_ctx_set_min_proto_version(ctx, minVersion == .tls13 ? TLS1_3_VERSION : TLS1_2_VERSION) == 1 else {
            throw .resources("SSL_CTX_set_min_proto_version: \(OpenSSLError.drain())")
        }
        // No compression (CRIME), no renegotiation (a client-driven CPU sink), our cipher order, not the client's.
        gw_ssl_ctx_set_server_options(ctx, tickets == nil ? 0 : 1)
        gw_ssl_ctx_set_nonblocking_modes(ctx)
        ERR_clear_error()
        guard SSL_CTX_set_cipher_list(ctx, ciphers) == 1 else {
            ERR_clear_error()
            throw .invalidSetting("ciphers: no usable TLS 1.2 cipher in \"\(ciphers)\"")
        }
        SSL_CTX_set_alpn_select_cb(ctx, alpnCallback, nil)
        if let tickets {
            // Every context points at the same keys: after SNI switched contexts, the ticket callback runs on
            // the new one.
            guard SSL_CTX_set_ex_data(ctx, 0, Unmanaged.passUnretained(tickets).toOpaque()) == 1,
                gw_ssl_ctx_set_ticket_key_cb(ctx, ticketKeyCallback) == 1
            else { throw .resources("session tickets: \(OpenSSLError.drain())") }
            // A session lives one rotation period; the previous key keeps tickets issued just before a
            // rotation usable for the rest of their lifetime.
            SSL_CTX_set_timeout(ctx, Int(max(60, rotation.components.seconds)))
            // One TLS 1.3 ticket per handshake: a client resumes with one, each costs an encryption.
            SSL_CTX_set_num_tickets(ctx, 1)
        } else {
            SSL_CTX_set_num_tickets(ctx, 0)
        }
    }

    /// Rotates the ticket keys now (for tests of resumption across a rotation).
    func rotateTicketKeys() {
        tickets?.forceRotation()
    }
}

/// ALPN: HTTP/1.1 is the only protocol spoken. A client that offers ALPN without it (an h2-only client)
/// gets a no_application_protocol alert rather than a connection it would misread.
private let alpnCallback:
    @convention(c) (
        OpaquePointer?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, UnsafeMutablePointer<UInt8>?, UnsafePointer<UInt8>?, UInt32,
        UnsafeMutableRawPointer?
    ) -> Int32 = { _, out, outLength, offered, offeredLength, _ in
        guard let out, let outLength, let offered else { return SSL_TLSEXT_ERR_ALERT_FATAL }
        let list = UnsafeBufferPointer(start: offered, count: Int(offeredLength))
        var i = 0
        while i < list.count {
            let n = Int(list[i])
            let start = i + 1
            guard n > 0, start + n <= list.count else { break }
            if n == 8, UnsafeBufferPointer(rebasing: list[start..<(start + 8)]).elementsEqual("http/1.1".utf8) {
                out.pointee = offered + start
                outLength.pointee = 8
                return SSL_TLSEXT_ERR_OK
            }
            i = start + n
        }
        return SSL_TLSEXT_ERR_ALERT_FATAL
    }
