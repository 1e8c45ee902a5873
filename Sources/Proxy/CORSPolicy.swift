import EventLoop
import HTTP1

/// A route's CORS rules (the Fetch standard's CORS protocol), compiled to the header values the gateway
/// sends. The gateway answers preflights itself, so a browser front-end can reach a protected route
/// without the preflight ever needing a token, and it adds the response headers to upstream answers and to
/// its own rejections alike (a front-end must be able to read a 401's JSON).
public final class CORSPolicy: Sendable {
    /// `"*"`: any origin, and never with credentials.
    public let anyOrigin: Bool
    /// Exact serialized origins (`https://app.example.com`), compared byte for byte as browsers send them.
    public let origins: [[UInt8]]
    public let credentials: Bool
    let allowMethods: [UInt8]
    let allowHeaders: [UInt8]
    let exposeHeaders: [UInt8]
    let maxAgeSeconds: Int

    public init(anyOrigin: Bool, origins: [String], methods: [String], headers: [String], exposeHeaders: [String], credentials: Bool, maxAgeSeconds: Int) {
        self.anyOrigin = anyOrigin
        self.origins = origins.map { Array($0.utf8) }
        // Credentials with a wildcard would let every site read credentialed answers; config validation
        // refuses the combination, and this keeps it impossible here too.
        self.credentials = credentials && !anyOrigin
        allowMethods = Array(methods.joined(separator: ", ").utf8)
        allowHeaders = Array(headers.joined(separator: ", ").utf8)
        // The request id and the rate-limit headers are the gateway's own; a front-end may want them.
        var expose = ["X-Request-Id", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"]
        for h in exposeHeaders where !expose.contains(where: { $0.lowercased() == h.lowercased() }) { expose.append(h) }
        self.exposeHeaders = Array(expose.joined(separator: ", ").utf8)
        self.maxAgeSeconds = maxAgeSeconds
    }

    /// Whether `origin` (the request's Origin value) may read answers.
    func allows(_ origin: UnsafeRawBufferPointer) -> Bool {
        if anyOrigin { return true }
        for o in origins where o.withUnsafeBytes({ equalBytes($0, origin) }) { return true }
        return false
    }

    /// The headers of an actual (non-preflight) answer to an allowed origin, each line ending in CRLF.
    func writeResponseHeaders(origin: [UInt8], into out: ByteBuffer) {
        writeAllowOrigin(origin, into: out)
        out.append("Access-Control-Expose-Headers: ")
        out.append(exposeHeaders)
        out.append("\r\n")
    }

    /// The headers of a preflight answer, each line ending in CRLF.
    func writePreflightHeaders(origin: [UInt8], into out: ByteBuffer) {
        writeAllowOrigin(origin, into: out)
        out.append("Access-Control-Allow-Methods: ")
        out.append(allowMethods)
        out.append("\r\nAccess-Control-Allow-Headers: ")
        out.append(allowHeaders)
        out.append("\r\nAccess-Control-Max-Age: ")
        out.appendDecimal(maxAgeSeconds)
        out.append("\r\n")
    }

    private func writeAllowOrigin(_ origin: [UInt8], into out: ByteBuffer) {
        if anyOrigin {
            out.append("Access-Control-Allow-Origin: *\r\n")
            return
        }
        // The answer depends on Origin: a shared cache must not give one origin's answer to another.
        out.append("Access-Control-Allow-Origin: ")
        out.append(origin)
        out.append("\r\nVary: Origin\r\n")
        if credentials { out.append("Access-Control-Allow-Credentials: true\r\n") }
    }

    /// The Origin header's value, if the request has exactly one. Several are treated as none: the answer
    /// then carries no CORS headers and the browser refuses it.
    static func origin(_ head: borrowing RequestHead, _ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        var found: UnsafeRawBufferPointer? = nil
        for h in head.headers where h.kind == .other && h.nameEquals("origin", in: bytes) {
            if found != nil { return nil }
            found = UnsafeRawBufferPointer(rebasing: bytes[h.value])
        }
        return found
    }

    /// The Access-Control-Request-Method value, which marks an OPTIONS request as a preflight.
    static func requestedMethod(_ head: borrowing RequestHead, _ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        for h in head.headers where h.kind == .other && h.nameEquals("access-control-request-method", in: bytes) {
            let v = UnsafeRawBufferPointer(rebasing: bytes[h.value])
            return v.isEmpty ? nil : v
        }
        return nil
    }
}
