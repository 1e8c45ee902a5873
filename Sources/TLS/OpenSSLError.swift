import COpenSSL
import Glibc

/// Reads of OpenSSL's per-thread error queue and of file access, shared by the contexts and sessions.
enum OpenSSLError {
    /// Drains the error queue into one line (the first reason first); "unknown" when it is empty.
    static func drain() -> String {
        var parts: [String] = []
        var code = ERR_get_error()
        while code != 0 {
            if parts.count < 4 {
                var buf = [CChar](repeating: 0, count: 256)
                ERR_error_string_n(code, &buf, buf.count)
                parts.append(String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            code = ERR_get_error()
        }
        return parts.isEmpty ? "unknown" : parts.joined(separator: "; ")
    }

    /// Fails with `.unreadableFile` naming the path unless the file can be opened for reading.
    static func checkReadable(_ path: String) throws(TLSError) {
        guard let f = fopen(path, "r") else {
            throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        fclose(f)
    }
}

/// A configured, then never-changed SSL_CTX. OpenSSL allows concurrent use of one SSL_CTX by many threads
/// (SSL_new takes a reference under its own lock), which is what makes the owners below `Sendable`.
final class SSLContextBox: @unchecked Sendable {
    let ctx: OpaquePointer

    init(method: OpaquePointer?) throws(TLSError) {
        guard let c = SSL_CTX_new(method) else { throw .resources("SSL_CTX_new: \(OpenSSLError.drain())") }
        ctx = c
    }

    deinit { SSL_CTX_free(ctx) }
}
