/// Why a TLS context could not be built. Every case names the file or setting at fault, so that
/// `gateway check` and a failed reload can say exactly what to fix.
public enum TLSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file does not exist or cannot be read.
    case unreadableFile(path: String, reason: String)
    /// The file is not a PEM certificate chain OpenSSL accepts.
    case invalidCertificate(path: String, reason: String)
    /// The file is not a PEM private key OpenSSL accepts.
    case invalidKey(path: String, reason: String)
    /// The private key does not belong to the certificate.
    case keyMismatch(certificate: String, key: String)
    /// The CA file holds no usable certificate.
    case invalidCA(path: String, reason: String)
    /// A setting (cipher list, server name) OpenSSL refused.
    case invalidSetting(String)
    /// OpenSSL could not allocate a context or session.
    case resources(String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason): return "cannot read \(path): \(reason)"
        case .invalidCertificate(let path, let reason): return "\(path): not a usable certificate chain (\(reason))"
        case .invalidKey(let path, let reason): return "\(path): not a usable private key (\(reason))"
        case .keyMismatch(let cert, let key): return "\(key): private key does not match the certificate in \(cert)"
        case .invalidCA(let path, let reason): return "\(path): no usable CA certificate (\(reason))"
        case .invalidSetting(let what): return what
        case .resources(let what): return "OpenSSL: \(what)"
        }
    }
}
