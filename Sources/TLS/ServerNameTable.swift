import COpenSSL
import Glibc

/// SNI lookup: server name → SSL_CTX, exact names first, then one-label wildcards ("*.example.com" matches
/// "api.example.com", not "example.com" nor "a.b.example.com", as RFC 6125 §6.4.3 allows). The first
/// certificate listed wins a name two certificates share; an unknown or absent name gets the default.
final class ServerNameTable: @unchecked Sendable {
    private let exact: [String: OpaquePointer]
    private let wildcard: [String: OpaquePointer]

    init(_ entries: [([String], OpaquePointer)]) {
        var exact: [String: OpaquePointer] = [:]
        var wildcard: [String: OpaquePointer] = [:]
        for (names, ctx) in entries {
            for name in names {
                if name.hasPrefix("*.") {
                    let rest = String(name.dropFirst(2))
                    if wildcard[rest] == nil { wildcard[rest] = ctx }
                } else if exact[name] == nil {
                    exact[name] = ctx
                }
            }
        }
        self.exact = exact
        self.wildcard = wildcard
    }

    /// The context for a server name (any case), or nil for the default.
    func context(for serverName: String) -> OpaquePointer? {
        let name = serverName.lowercased()
        if let c = exact[name] { return c }
        guard let dot = name.firstIndex(of: "."), dot != name.startIndex else { return nil }
        return wildcard[String(name[name.index(after: dot)...])]
    }
}

/// The SNI callback, on the default context: switches the session to the certificate the name selects.
let serverNameCallback: gw_servername_cb = { ssl, _, arg in
    guard let ssl, let arg else { return SSL_TLSEXT_ERR_OK }
    // A name longer than DNS allows matches nothing: the default certificate answers.
    guard let raw = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name), strnlen(raw, 256) < 256 else { return SSL_TLSEXT_ERR_OK }
    let table = Unmanaged<ServerNameTable>.fromOpaque(arg).takeUnretainedValue()
    guard let ctx = table.context(for: String(cString: raw)) else { return SSL_TLSEXT_ERR_OK }
    return SSL_set_SSL_CTX(ssl, ctx) == nil ? SSL_TLSEXT_ERR_ALERT_FATAL : SSL_TLSEXT_ERR_OK
}
