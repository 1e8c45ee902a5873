import EventLoop
import HTTP1
import JSON
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
        case .missingToken, .invalidToken, .ambiguousToken: return 401
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
        case .ambiguousToken: return "invalid_token"
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
        case .malformed, .requestTimeout, .payloadTooLarge, .overloaded: return true
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
    /// Writes a complete JSON error response into `out`.
    static func write(
        _ r: Rejection, into out: ByteBuffer, requestID: UnsafeRawBufferPointer, realm: String, keepAlive: Bool,
        headRequest: Bool = false
    ) {
        var body: [UInt8] = []
        body.reserveCapacity(160)
        body.append(contentsOf: #"{"error":"#.utf8)
        JSONWriter.appendString(r.code, to: &body)
        body.append(contentsOf: #","message":"#.utf8)
        JSONWriter.appendString(r.message, to: &body)
        body.append(contentsOf: "}\n".utf8)

        let status = r.status
        out.append("HTTP/1.1 ")
        out.appendDecimal(status)
        out.append(byte: 0x20)
        out.append(HTTPSerializer.reasonPhrase(status))
        out.append("\r\nContent-Type: application/json\r\nCache-Control: no-store\r\nContent-Length: ")
        out.appendDecimal(body.count)
        out.append("\r\nX-Request-Id: ")
        out.append(requestID)
        switch r {
        case .missingToken:
            out.append("\r\nWWW-Authenticate: Bearer realm=\"")
            out.append(quotedStringSafe(realm))
            out.append("\"")
        case .invalidToken, .ambiguousToken:
            out.append("\r\nWWW-Authenticate: Bearer realm=\"")
            out.append(quotedStringSafe(realm))
            out.append("\", error=\"invalid_token\", error_description=\"")
            out.append(quotedStringSafe(r.message))
            out.append("\"")
        case .forbidden:
            out.append("\r\nWWW-Authenticate: Bearer realm=\"")
            out.append(quotedStringSafe(realm))
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
        default:
            break
        }
        out.append(keepAlive ? "\r\n\r\n" : "\r\nConnection: close\r\n\r\n")
        if !headRequest { out.append(body) }
    }

    static func writeRateLimitHeaders(_ info: RateLimitInfo, into out: ByteBuffer) {
        out.append("\r\nRateLimit-Limit: ")
        out.appendDecimal(info.limit)
        out.append("\r\nRateLimit-Remaining: ")
        out.appendDecimal(info.remaining)
        out.append("\r\nRateLimit-Reset: ")
        out.appendDecimal(info.resetSeconds)
    }

    /// RFC 9110 quoted-string content: drop anything that is not printable ASCII, escape `"` and `\`.
    static func quotedStringSafe(_ s: String) -> String {
        var r = ""
        r.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            guard u.value >= 0x20 && u.value < 0x7F else { continue }
            if u == "\"" || u == "\\" { r.append("\\") }
            r.unicodeScalars.append(u)
        }
        return r
    }
}
