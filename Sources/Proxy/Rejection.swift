import EventLoop
import HTTP1
import JWT

/// Every answer the gateway makes itself. This file alone maps a rejection to its status, its
/// `{"error","message"}` body and its headers (`WWW-Authenticate`, `Retry-After`, `Allow`), as Envoy's
/// jwt_authn `onComplete` does.
enum Rejection {
    case malformed(HTTPError)
    case notFound
    case methodNotAllowed([[UInt8]])
    case encodedSlash
    case payloadTooLarge
    case rateLimited(RateLimitInfo)
    case missingToken
    case invalidToken(JWTError)
    case ambiguousToken
    case tokenRevoked
    /// A token from another issuer presented to the issuer's logout.
    case foreignToken
    case corsOriginDenied
    case unsupportedMediaType
    case lengthRequired
    /// The issuer's queue of password checks is full.
    case issuerBusy
    /// The route's issuer takes its keys from a remote JWK Set that is not available (not fetched yet,
    /// or expired past max_stale): the gateway cannot judge the token, which is not the client's fault.
    case keysUnavailable
    case forbidden(missing: [String])
    case upstreamUnavailable
    case badUpstreamResponse
    case upstreamTimeout
    case requestTimeout
    case overloaded

    var status: Int {
        switch self {
        case .malformed(let e): return e.status
        case .notFound: return 404
        case .methodNotAllowed: return 405
        case .encodedSlash: return 400
        case .payloadTooLarge: return 413
        case .rateLimited: return 429
        case .missingToken, .invalidToken, .ambiguousToken, .tokenRevoked, .foreignToken: return 401
        case .corsOriginDenied: return 403
        case .unsupportedMediaType: return 415
        case .lengthRequired: return 411
        case .issuerBusy: return 503
        case .keysUnavailable: return 503
        case .forbidden: return 403
        case .upstreamUnavailable, .badUpstreamResponse: return 502
        case .upstreamTimeout: return 504
        case .requestTimeout: return 408
        case .overloaded: return 503
        }
    }

    var code: String {
        switch self {
        case .malformed(let e): return e.code
        case .notFound: return "not_found"
        case .methodNotAllowed: return "method_not_allowed"
        case .encodedSlash: return "encoded_slash"
        case .payloadTooLarge: return "payload_too_large"
        case .rateLimited: return "rate_limited"
        case .missingToken: return "missing_token"
        case .invalidToken(let e): return e == .expired ? "token_expired" : "invalid_token"
        case .ambiguousToken, .foreignToken: return "invalid_token"
        case .tokenRevoked: return "token_revoked"
        case .corsOriginDenied: return "cors_origin_denied"
        case .unsupportedMediaType: return "unsupported_media_type"
        case .lengthRequired: return "length_required"
        case .issuerBusy: return "issuer_busy"
        case .keysUnavailable: return "keys_unavailable"
        case .forbidden: return "insufficient_role"
        case .upstreamUnavailable: return "upstream_unavailable"
        case .badUpstreamResponse: return "bad_upstream_response"
        case .upstreamTimeout: return "upstream_timeout"
        case .requestTimeout: return "request_timeout"
        case .overloaded: return "overloaded"
        }
    }

    var message: String {
        switch self {
        case .malformed(let e): return e.message
        case .notFound: return "No route matches this path."
        case .methodNotAllowed: return "This path does not accept this method."
        case .encodedSlash: return "The path contains an encoded slash (%2F), which this route does not accept."
        case .payloadTooLarge: return "The request body is larger than this route accepts."
        case .rateLimited: return "Too many requests; retry after the time given in Retry-After."
        case .missingToken: return "This route requires a bearer token in the Authorization header."
        case .invalidToken(let e): return e == .expired ? "The token has expired." : "The token is not valid: \(e.description)"
        case .ambiguousToken: return "The request carries more than one token; send exactly one."
        case .tokenRevoked: return "The token has been revoked."
        case .foreignToken: return "Only a token issued by this gateway can be signed out here."
        case .corsOriginDenied: return "This origin may not call this route from a browser."
        case .unsupportedMediaType: return "The request body must be JSON (Content-Type: application/json)."
        case .lengthRequired: return "The request body must have a Content-Length."
        case .issuerBusy: return "Too many sign-ins are being checked right now; retry shortly."
        case .keysUnavailable: return "The keys to verify this route's tokens are not available yet; retry shortly."
        case .forbidden(let missing):
            return missing.isEmpty ? "The token does not grant access to this route." : "The token lacks what this route requires: \(missing.joined(separator: ", "))."
        case .upstreamUnavailable: return "The upstream service could not be reached."
        case .badUpstreamResponse: return "The upstream service sent an invalid response."
        case .upstreamTimeout: return "The upstream service did not answer in time."
        case .requestTimeout: return "The request was not received in time."
        case .overloaded: return "The gateway is at its connection limit or shutting down; retry later."
        }
    }

    /// Whether the connection must close after this answer regardless of keep-alive: after a framing error
    /// the next request's start is unknown.
    var closesConnection: Bool {
        switch self {
        case .malformed, .requestTimeout, .payloadTooLarge, .overloaded, .lengthRequired: return true
        default: return false
        }
    }
}

struct RateLimitInfo {
    var limit: Int
    var remaining: Int
    var resetSeconds: Int
    var retryAfter: Int
}

enum ResponseWriter {
    /// Writes a complete JSON error response into `out`. Byte-level throughout (a 401 storm is answered as
    /// fast as it arrives): the body is built once in `scratch`, escaped for JSON, and the message is
    /// escaped again only for WWW-Authenticate; `realm` arrives already escaped for a quoted-string.
    static func write(
        _ r: Rejection, into out: ByteBuffer, requestID: UnsafeRawBufferPointer, realm: [UInt8], keepAlive: Bool,
        headRequest: Bool = false, exchange: borrowing Exchange, scratch: inout [UInt8]
    ) {
        let code = r.code
        let message = r.message
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: #"{"error":""#.utf8)
        appendJSONEscaped(code.utf8, to: &scratch)
        scratch.append(contentsOf: #"","message":""#.utf8)
        appendJSONEscaped(message.utf8, to: &scratch)
        scratch.append(contentsOf: "\"}\n".utf8)

        startResponse(r.status, reserving: scratch.count + message.utf8.count + realm.count + requestID.count + 512, into: out)
        out.append("\r\nContent-Type: application/json\r\nCache-Control: no-store\r\nContent-Length: ")
        out.appendDecimal(scratch.count)
        out.append("\r\nX-Request-Id: ")
        out.append(requestID)
        switch r {
        case .missingToken:
            out.append("\r\nWWW-Authenticate: Bearer realm=\"")
            out.append(realm)
            out.append("\"")
        case .invalidToken, .ambiguousToken, .tokenRevoked, .foreignToken:
            out.append("\r\nWWW-Authenticate: Bearer realm=\"")
            out.append(realm)
            out.append("\", error=\"invalid_token\", error_description=\"")
            appendQuotedStringSafe(message.utf8, to: out)
            out.append("\"")
        case .forbidden:
            out.append("\r\nWWW-Authenticate: Bearer realm=\"")
            out.append(realm)
            out.append("\", error=\"insufficient_scope\"")
        case .rateLimited(let info):
            out.append("\r\nRetry-After: ")
            out.appendDecimal(info.retryAfter)
            writeRateLimitHeaders(info, into: out)
        case .methodNotAllowed(let methods):
            out.append("\r\nAllow: ")
            var first = true
            for m in methods {
                if !first { out.append(", ") }
                first = false
                out.append(m)
            }
        case .issuerBusy:
            out.append("\r\nRetry-After: 1")
        case .keysUnavailable:
            out.append("\r\nRetry-After: 5")
        default:
            break
        }
        out.append("\r\n")
        exchange.writeCORSHeaders(into: out)
        out.append(keepAlive ? "\r\n" : "Connection: close\r\n\r\n")
        if !headRequest { out.append(scratch) }
    }

    /// Writes an answer of the gateway's own endpoints (the issuer's): a JSON body made elsewhere, with the
    /// same headers as a rejection. Token answers are never cached (RFC 6749 §5.1).
    static func writeLocal(
        status: Int, body: [UInt8], into out: ByteBuffer, requestID: [UInt8], realm: [UInt8], keepAlive: Bool,
        headRequest: Bool, exchange: borrowing Exchange, cacheSeconds: Int? = nil
    ) {
        startResponse(status, reserving: body.count + realm.count + requestID.count + 768, into: out)
        out.append("\r\nContent-Type: application/json\r\n")
        if let cacheSeconds {
            out.append("Cache-Control: public, max-age=")
            out.appendDecimal(cacheSeconds)
            out.append("\r\n")
        } else {
            out.append("Cache-Control: no-store\r\nPragma: no-cache\r\n")
        }
        out.append("Content-Length: ")
        out.appendDecimal(body.count)
        out.append("\r\nX-Request-Id: ")
        out.append(requestID)
        out.append("\r\n")
        if status == 401 {
            out.append("WWW-Authenticate: Bearer realm=\"")
            out.append(realm)
            out.append("\"\r\n")
        } else if status == 503 {
            out.append("Retry-After: 1\r\n")
        }
        exchange.writeCORSHeaders(into: out)
        out.append(keepAlive ? "\r\n" : "Connection: close\r\n\r\n")
        if !headRequest { out.append(body) }
    }

    /// Makes room for a whole answer of about `bytes` and writes its status line (without the line end).
    private static func startResponse(_ status: Int, reserving bytes: Int, into out: ByteBuffer) {
        if out.writableCount < bytes {
            out.compact()
            if out.writableCount < bytes { out.grow(to: out.readableCount + bytes) }
        }
        out.append("HTTP/1.1 ")
        out.appendDecimal(status)
        out.append(byte: 0x20)
        out.append(HTTPSerializer.reasonPhrase(status))
    }

    static func writeRateLimitHeaders(_ info: RateLimitInfo, into out: ByteBuffer) {
        out.append("\r\nRateLimit-Limit: ")
        out.appendDecimal(info.limit)
        out.append("\r\nRateLimit-Remaining: ")
        out.appendDecimal(info.remaining)
        out.append("\r\nRateLimit-Reset: ")
        out.appendDecimal(info.resetSeconds)
    }

    /// JSON string content for UTF-8 input: quotes, backslashes and control characters escaped; every other
    /// byte (including multi-byte UTF-8) as is.
    static func appendJSONEscaped(_ bytes: String.UTF8View, to out: inout [UInt8]) {
        let hex: StaticString = "0123456789abcdef"
        for b in bytes {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30])
                out.append(hex.utf8Start[Int(b >> 4)])
                out.append(hex.utf8Start[Int(b & 0xF)])
            default: out.append(b)
            }
        }
    }

    /// RFC 9110 quoted-string content: only printable ASCII is kept, `"` and `\` are escaped.
    static func appendQuotedStringSafe(_ bytes: String.UTF8View, to out: ByteBuffer) {
        for b in bytes where b >= 0x20 && b < 0x7F {
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { out.append(byte: 0x5C) }
            out.append(byte: b)
        }
    }

    /// The realm as quoted-string content, computed once per snapshot.
    static func quotedStringSafe(_ s: String) -> [UInt8] {
        var r: [UInt8] = []
        for b in s.utf8 where b >= 0x20 && b < 0x7F {
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { r.append(0x5C) }
            r.append(b)
        }
        return r
    }
}
