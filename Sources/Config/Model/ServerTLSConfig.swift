/// TLS for a listener (`listen[i].tls`): certificates, protocol versions and session resumption.
public struct ServerTLSConfig: Sendable, Equatable, Decodable {
    /// The default certificate chain (PEM), for clients whose SNI matches no other certificate or that send none.
    public var cert: ConfigFilePath
    /// The default certificate's private key (PEM).
    public var key: ConfigFilePath
    /// More certificates, chosen by SNI against their SAN DNS names.
    public var certificates: [CertificatePair] = []
    public var minVersion: TLSVersion = .v1_2
    /// OpenSSL cipher list for TLS 1.2 (TLS 1.3 suites are OpenSSL's defaults, all AEAD).
    public var ciphers = ServerTLSConfig.defaultCiphers
    public var sessionTickets = true
    /// How often the session ticket key changes; tickets under the previous key are still accepted.
    public var ticketKeyRotation: Duration = .seconds(3_600)
    /// A client that has not finished the handshake by then is disconnected.
    public var handshakeTimeout: Duration = .seconds(10)
    public var jsonPath: String

    /// Mozilla's "intermediate" TLS 1.2 list: forward-secret ECDHE key exchange with AEAD ciphers only.
    public static let defaultCiphers =
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
        + "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"

    public init(from decoder: any Decoder) throws {
        jsonPath = ConfigPath.render(decoder.codingPath)
        let r = try ObjectReader(decoder, known: ConfigKeys.serverTLS)
        cert = r.require("cert", as: ConfigFilePath.self) ?? ConfigFilePath(original: "", resolved: "")
        key = r.require("key", as: ConfigFilePath.self) ?? ConfigFilePath(original: "", resolved: "")
        let list = r.indexedList("certificates", of: CertificatePair.self) ?? []
        certificates = list.map(\.value)
        for (i, element) in list.enumerated() where !element.value.cert.resolved.isEmpty {
            let at = ConfigPath.child(ConfigPath.child(r.path("certificates"), index: element.index), "cert")
            if element.value.cert.resolved == cert.resolved {
                r.context.report(at, "\(element.value.cert) is already the default certificate (tls.cert)")
            } else if list[..<i].contains(where: { $0.value.cert.resolved == element.value.cert.resolved }) {
                r.context.report(at, "\(element.value.cert) is listed twice")
            }
        }
        minVersion = r.decode("min_version", as: TLSVersion.self) ?? minVersion
        if let given = r.decode("ciphers", as: String.self) {
            // The list goes to OpenSSL as is; anything else than one printable word is a typo or an injection.
            if given.isEmpty || !given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
                r.report(
                    "ciphers",
                    "must be an OpenSSL cipher list of printable characters without spaces, "
                        + "such as \"ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305\"")
            } else if minVersion == .v1_3 {
                r.report("ciphers", "only applies to TLS 1.2, which min_version \"1.3\" turns off; remove ciphers or lower min_version")
            } else {
                ciphers = given
            }
        }
        sessionTickets = r.bool("session_tickets", default: sessionTickets)
        ticketKeyRotation = r.duration(
            "ticket_key_rotation", default: ticketKeyRotation, in: .seconds(60)...(.seconds(86_400)))
        if !sessionTickets, r.has("ticket_key_rotation") {
            r.report("ticket_key_rotation", "only used with session_tickets, which is false")
        }
        handshakeTimeout = r.duration("handshake_timeout", default: handshakeTimeout, in: .seconds(1)...(.seconds(60)))
    }
}

/// A certificate chain and its private key, both PEM files.
public struct CertificatePair: Sendable, Equatable, Decodable {
    public var cert: ConfigFilePath
    public var key: ConfigFilePath
    public var jsonPath: String

    public init(from decoder: any Decoder) throws {
        jsonPath = ConfigPath.render(decoder.codingPath)
        let r = try ObjectReader(decoder, known: ConfigKeys.certificate)
        cert = r.require("cert", as: ConfigFilePath.self) ?? ConfigFilePath(original: "", resolved: "")
        key = r.require("key", as: ConfigFilePath.self) ?? ConfigFilePath(original: "", resolved: "")
    }
}

/// The lowest TLS version a listener accepts. Earlier versions have known weaknesses and are never offered.
public enum TLSVersion: String, Sendable, Equatable, CaseIterable, Decodable {
    case v1_2 = "1.2"
    case v1_3 = "1.3"

    public init(from decoder: any Decoder) throws {
        if case .string(let text)? = decoder.jsonValue, ["1", "1.0", "1.1", "SSLv3", "3.0"].contains(text) {
            throw decoder.invalid("TLS \(text) is not allowed: versions before 1.2 have known weaknesses; use \"1.2\" or \"1.3\"")
        }
        self = try ConfigEnum.decode(decoder, what: "TLS version")
    }
}
