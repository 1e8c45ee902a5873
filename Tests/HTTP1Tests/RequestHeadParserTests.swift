import HTTP1
import Testing

struct ValidRequest: Sendable, CustomTestStringConvertible {
    var name: String
    var raw: String
    var method: HTTPMethod
    var methodText: String
    var target: String
    var version: HTTPVersion = .http1_1
    var framing: RequestFraming = .none
    var keepAlive = true
    var expectContinue = false
    var host: String? = "example.com"
    var kinds: [HeaderKind] = [.host]
    var testDescription: String { name }
}

struct InvalidRequest: Sendable, CustomTestStringConvertible {
    var name: String
    var raw: String
    var status: Int
    var code: String
    var limits = HeadLimits()
    var testDescription: String { name }
}

let validRequests: [ValidRequest] = [
    ValidRequest(name: "minimal GET", raw: "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n", method: .get, methodText: "GET", target: "/"),
    ValidRequest(
        name: "POST with Content-Length", raw: "POST /submit HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\n\r\n",
        method: .post, methodText: "POST", target: "/submit", framing: .contentLength(5), kinds: [.host, .contentLength]),
    ValidRequest(
        name: "Content-Length zero", raw: "PUT /x HTTP/1.1\r\nHost: example.com\r\nContent-Length: 0\r\n\r\n",
        method: .put, methodText: "PUT", target: "/x", framing: .contentLength(0), kinds: [.host, .contentLength]),
    ValidRequest(
        name: "Content-Length leading zeros", raw: "PUT /x HTTP/1.1\r\nHost: example.com\r\nContent-Length: 007\r\n\r\n",
        method: .put, methodText: "PUT", target: "/x", framing: .contentLength(7), kinds: [.host, .contentLength]),
    ValidRequest(
        name: "chunked POST", raw: "POST /up HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n",
        method: .post, methodText: "POST", target: "/up", framing: .chunked, kinds: [.host, .transferEncoding]),
    ValidRequest(
        name: "chunked is case-insensitive, OWS trimmed",
        raw: "POST /up HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: \t CHUNKED \t\r\n\r\n",
        method: .post, methodText: "POST", target: "/up", framing: .chunked, kinds: [.host, .transferEncoding]),
    ValidRequest(
        name: "HTTP/1.0 without Host closes", raw: "GET /old HTTP/1.0\r\n\r\n", method: .get, methodText: "GET",
        target: "/old", version: .http1_0, keepAlive: false, host: nil, kinds: []),
    ValidRequest(
        name: "HTTP/1.0 keep-alive", raw: "GET / HTTP/1.0\r\nHost: example.com\r\nConnection: Keep-Alive\r\n\r\n",
        method: .get, methodText: "GET", target: "/", version: .http1_0, kinds: [.host, .connection]),
    ValidRequest(
        name: "HTTP/1.1 Connection close", raw: "GET / HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n",
        method: .get, methodText: "GET", target: "/", keepAlive: false, kinds: [.host, .connection]),
    ValidRequest(
        name: "close wins over keep-alive",
        raw: "GET / HTTP/1.1\r\nHost: example.com\r\nConnection: keep-alive, close\r\n\r\n",
        method: .get, methodText: "GET", target: "/", keepAlive: false, kinds: [.host, .connection]),
    ValidRequest(
        name: "Connection names a hop-by-hop header",
        raw: "GET / HTTP/1.1\r\nX-Secret: 1\r\nHost: example.com\r\nConnection: x-secret, , Keep-Alive\r\nx-other: 2\r\n\r\n",
        method: .get, methodText: "GET", target: "/", kinds: [.hopByHop, .host, .connection, .other]),
    ValidRequest(
        name: "Expect 100-continue", raw: "PUT /f HTTP/1.1\r\nHost: example.com\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n",
        method: .put, methodText: "PUT", target: "/f", framing: .contentLength(3), expectContinue: true,
        kinds: [.host, .expect, .contentLength]),
    ValidRequest(
        name: "Expect ignored for HTTP/1.0", raw: "PUT /f HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n",
        method: .put, methodText: "PUT", target: "/f", version: .http1_0, framing: .contentLength(3), keepAlive: false,
        host: nil, kinds: [.expect, .contentLength]),
    ValidRequest(
        name: "OPTIONS asterisk", raw: "OPTIONS * HTTP/1.1\r\nHost: example.com\r\n\r\n", method: .options,
        methodText: "OPTIONS", target: "*"),
    ValidRequest(
        name: "one leading CRLF is ignored", raw: "\r\nGET / HTTP/1.1\r\nHost: example.com\r\n\r\n", method: .get,
        methodText: "GET", target: "/"),
    ValidRequest(
        name: "host with port and OWS", raw: "GET / HTTP/1.1\r\nHost: \t example.com:8080 \t\r\n\r\n", method: .get,
        methodText: "GET", target: "/", host: "example.com:8080"),
    ValidRequest(
        name: "IPv6 host literal", raw: "GET / HTTP/1.1\r\nHost: [::1]:443\r\n\r\n", method: .get, methodText: "GET",
        target: "/", host: "[::1]:443"),
    ValidRequest(
        name: "IPv4 host", raw: "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", method: .get, methodText: "GET",
        target: "/", host: "127.0.0.1"),
    ValidRequest(
        name: "lowercase method is not GET", raw: "get / HTTP/1.1\r\nHost: example.com\r\n\r\n", method: .other,
        methodText: "get", target: "/"),
    ValidRequest(
        name: "extension method", raw: "PURGE /c HTTP/1.1\r\nHost: example.com\r\n\r\n", method: .other,
        methodText: "PURGE", target: "/c"),
    ValidRequest(
        name: "all named methods: HEAD", raw: "HEAD / HTTP/1.1\r\nHost: example.com\r\n\r\n", method: .head,
        methodText: "HEAD", target: "/"),
    ValidRequest(
        name: "all named methods: DELETE", raw: "DELETE /r/1 HTTP/1.1\r\nHost: example.com\r\n\r\n", method: .delete,
        methodText: "DELETE", target: "/r/1"),
    ValidRequest(
        name: "all named methods: PATCH", raw: "PATCH /r HTTP/1.1\r\nHost: example.com\r\n\r\n", method: .patch,
        methodText: "PATCH", target: "/r"),
    ValidRequest(
        name: "all named methods: TRACE", raw: "TRACE /r HTTP/1.1\r\nHost: example.com\r\n\r\n", method: .trace,
        methodText: "TRACE", target: "/r"),
    ValidRequest(
        name: "target with query, percent and sub-delims",
        raw: "GET /a%20b/c;p=1/@:x!$&'()*+,=~?q=1&r=/?%zz HTTP/1.1\r\nHost: example.com\r\n\r\n", method: .get,
        methodText: "GET", target: "/a%20b/c;p=1/@:x!$&'()*+,=~?q=1&r=/?%zz"),
    ValidRequest(
        name: "header kinds",
        raw: "GET / HTTP/1.1\r\nHost: example.com\r\nAuthorization: Bearer t\r\nCookie: a=b\r\nX-Forwarded-For: 1.2.3.4\r\n"
            + "X-Forwarded-Proto: https\r\nX-Forwarded-Host: h\r\nX-Request-Id: 7\r\nX-Auth-User: u\r\nProxy-Authorization: x\r\n"
            + "TE: trailers\r\nUpgrade: websocket\r\nTrailer: X\r\nKeep-Alive: 5\r\nAccept: */*\r\n\r\n",
        method: .get, methodText: "GET", target: "/",
        kinds: [
            .host, .authorization, .cookie, .xForwardedFor, .xForwardedProto, .xForwardedHost, .xRequestId, .xAuthPrefix,
            .hopByHop, .hopByHop, .hopByHop, .hopByHop, .hopByHop, .other,
        ]),
    ValidRequest(
        name: "empty value and obs-text value",
        raw: "GET / HTTP/1.1\r\nHost: example.com\r\nX-Empty:\r\nX-Text: caf\u{E9} \u{80}\r\n\r\n", method: .get,
        methodText: "GET", target: "/", kinds: [.host, .other, .other]),
]

let invalidRequests: [InvalidRequest] = [
    InvalidRequest(name: "method with slash", raw: "GE/T / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_method"),
    InvalidRequest(name: "method with NUL", raw: "GE\0T / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_method"),
    InvalidRequest(name: "leading space", raw: " GET / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_request_line"),
    InvalidRequest(name: "double space after method", raw: "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_request_line"),
    InvalidRequest(name: "double space before version", raw: "GET /  HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_request_line"),
    InvalidRequest(name: "tab separator", raw: "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_method"),
    InvalidRequest(name: "missing version", raw: "GET /\r\nHost: a\r\n\r\n", status: 400, code: "invalid_request_line"),
    InvalidRequest(name: "method only", raw: "GET\r\nHost: a\r\n\r\n", status: 400, code: "invalid_request_line"),
    InvalidRequest(name: "trailing space after version", raw: "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", status: 400, code: "invalid_request_line"),
    InvalidRequest(name: "two leading empty lines", raw: "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_request_line"),
    InvalidRequest(name: "target with raw space", raw: "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_version"),
    InvalidRequest(name: "target with fragment", raw: "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_target"),
    InvalidRequest(name: "target with backslash", raw: "GET /a\\b HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_target"),
    InvalidRequest(name: "target with quote", raw: "GET /a\"b HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_target"),
    InvalidRequest(name: "target with angle bracket", raw: "GET /a<b HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_target"),
    InvalidRequest(name: "target with brace", raw: "GET /a{b} HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_target"),
    InvalidRequest(name: "target with pipe", raw: "GET /a|b HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_target"),
    InvalidRequest(name: "target with caret", raw: "GET /a^b HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_target"),
    InvalidRequest(name: "target with backtick", raw: "GET /a`b HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_target"),
    InvalidRequest(name: "target with raw UTF-8", raw: "GET /caf\u{E9} HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_target"),
    InvalidRequest(name: "target with DEL", raw: "GET /a\u{7F} HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_target"),
    InvalidRequest(name: "target with NUL", raw: "GET /a\0 HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_target"),
    InvalidRequest(name: "asterisk with GET", raw: "GET * HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_target"),
    InvalidRequest(name: "absolute-form", raw: "GET http://a/b HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "unsupported_target_form"),
    InvalidRequest(name: "authority-form", raw: "OPTIONS a:443 HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "unsupported_target_form"),
    InvalidRequest(name: "CONNECT", raw: "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", status: 501, code: "not_implemented"),
    InvalidRequest(
        name: "target over limit", raw: "GET /0123456789abcdef HTTP/1.1\r\nHost: a\r\n\r\n", status: 414, code: "uri_too_long",
        limits: HeadLimits(maxTargetBytes: 16)),
    InvalidRequest(
        name: "target over limit before the line ends", raw: "GET /0123456789abcdefghij", status: 414, code: "uri_too_long",
        limits: HeadLimits(maxTargetBytes: 16)),
    // Fuzzer finding (FuzzRequestHead): the length limit was applied only while the head was incomplete, so a whole head
    // and the same head split across reads gave different errors. An over-long target is now 414 whatever it contains.
    InvalidRequest(
        name: "bad byte after the target limit", raw: "GET /0123456789abcdef\u{01} HTTP/1.1\r\nHost: a\r\n\r\n", status: 414,
        code: "uri_too_long", limits: HeadLimits(maxTargetBytes: 16)),
    InvalidRequest(
        name: "bad byte before the target limit", raw: "GET /01\u{01}23456789abcdefghij HTTP/1.1\r\nHost: a\r\n\r\n",
        status: 414, code: "uri_too_long", limits: HeadLimits(maxTargetBytes: 16)),
    InvalidRequest(name: "HTTP/2.0", raw: "GET / HTTP/2.0\r\nHost: a\r\n\r\n", status: 505, code: "http_version_not_supported"),
    InvalidRequest(name: "HTTP/1.2", raw: "GET / HTTP/1.2\r\nHost: a\r\n\r\n", status: 505, code: "http_version_not_supported"),
    InvalidRequest(name: "HTTP/0.9", raw: "GET / HTTP/0.9\r\nHost: a\r\n\r\n", status: 505, code: "http_version_not_supported"),
    InvalidRequest(name: "lowercase version", raw: "GET / http/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_version"),
    InvalidRequest(name: "version garbage", raw: "GET / HTTP/1.x\r\nHost: a\r\n\r\n", status: 400, code: "invalid_version"),
    InvalidRequest(name: "version too long", raw: "GET / HTTP/1.10\r\nHost: a\r\n\r\n", status: 400, code: "invalid_request_line"),
    InvalidRequest(name: "version short", raw: "GET / HTTP/1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_version"),
    InvalidRequest(name: "bare LF ends request line", raw: "GET / HTTP/1.1\nHost: a\r\n\r\n", status: 400, code: "invalid_line_ending"),
    InvalidRequest(name: "bare LF ends head", raw: "GET / HTTP/1.1\r\nHost: a\r\n\n", status: 400, code: "invalid_line_ending"),
    InvalidRequest(name: "bare LF inside value", raw: "GET / HTTP/1.1\r\nHost: a\r\nX: a\nb\r\n\r\n", status: 400, code: "invalid_line_ending"),
    InvalidRequest(name: "bare CR inside value", raw: "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", status: 400, code: "invalid_line_ending"),
    InvalidRequest(name: "bare CR in request line", raw: "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_line_ending"),
    InvalidRequest(name: "space before colon", raw: "GET / HTTP/1.1\r\nHost : a\r\n\r\n", status: 400, code: "invalid_header_name"),
    InvalidRequest(name: "tab before colon", raw: "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", status: 400, code: "invalid_header_name"),
    InvalidRequest(name: "empty header name", raw: "GET / HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n", status: 400, code: "invalid_header_name"),
    InvalidRequest(name: "header without colon", raw: "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", status: 400, code: "invalid_header_name"),
    InvalidRequest(name: "header name with slash", raw: "GET / HTTP/1.1\r\nHost: a\r\nX/Y: v\r\n\r\n", status: 400, code: "invalid_header_name"),
    InvalidRequest(name: "header name with UTF-8", raw: "GET / HTTP/1.1\r\nHost: a\r\nX\u{E9}: v\r\n\r\n", status: 400, code: "invalid_header_name"),
    InvalidRequest(name: "obs-fold with space", raw: "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n", status: 400, code: "obsolete_line_folding"),
    InvalidRequest(name: "obs-fold with tab", raw: "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n\tb\r\n\r\n", status: 400, code: "obsolete_line_folding"),
    InvalidRequest(name: "first header folded", raw: "GET / HTTP/1.1\r\n Host: a\r\n\r\n", status: 400, code: "obsolete_line_folding"),
    InvalidRequest(name: "NUL in value", raw: "GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n", status: 400, code: "invalid_header_value"),
    InvalidRequest(name: "vertical tab in value", raw: "GET / HTTP/1.1\r\nHost: a\r\nX: a\u{0B}b\r\n\r\n", status: 400, code: "invalid_header_value"),
    InvalidRequest(name: "DEL in value", raw: "GET / HTTP/1.1\r\nHost: a\r\nX: a\u{7F}\r\n\r\n", status: 400, code: "invalid_header_value"),
    InvalidRequest(name: "escape in value", raw: "GET / HTTP/1.1\r\nHost: a\r\nX: \u{1B}[31m\r\n\r\n", status: 400, code: "invalid_header_value"),
    InvalidRequest(
        name: "too many headers", raw: "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", status: 431,
        code: "headers_too_large", limits: HeadLimits(maxHeaderCount: 3)),
    InvalidRequest(
        name: "head over byte limit", raw: "GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + String(repeating: "v", count: 80) + "\r\n\r\n",
        status: 431, code: "headers_too_large", limits: HeadLimits(maxHeadBytes: 64)),
    InvalidRequest(
        name: "head over byte limit before it ends", raw: "GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + String(repeating: "v", count: 80),
        status: 431, code: "headers_too_large", limits: HeadLimits(maxHeadBytes: 64)),
    InvalidRequest(name: "missing Host", raw: "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", status: 400, code: "missing_host"),
    InvalidRequest(name: "duplicate Host", raw: "GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n", status: 400, code: "duplicate_host"),
    InvalidRequest(name: "duplicate Host in HTTP/1.0", raw: "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", status: 400, code: "duplicate_host"),
    InvalidRequest(name: "empty Host", raw: "GET / HTTP/1.1\r\nHost: \r\n\r\n", status: 400, code: "invalid_host"),
    InvalidRequest(name: "Host with userinfo", raw: "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", status: 400, code: "invalid_host"),
    InvalidRequest(name: "Host with path", raw: "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", status: 400, code: "invalid_host"),
    InvalidRequest(name: "Host with space", raw: "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", status: 400, code: "invalid_host"),
    InvalidRequest(name: "Host with empty port", raw: "GET / HTTP/1.1\r\nHost: a:\r\n\r\n", status: 400, code: "invalid_host"),
    InvalidRequest(name: "Host with port too large", raw: "GET / HTTP/1.1\r\nHost: a:65536\r\n\r\n", status: 400, code: "invalid_host"),
    InvalidRequest(name: "Host with letters in port", raw: "GET / HTTP/1.1\r\nHost: a:80x\r\n\r\n", status: 400, code: "invalid_host"),
    InvalidRequest(name: "Host list", raw: "GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", status: 400, code: "invalid_host"),
    InvalidRequest(name: "Host unterminated IPv6", raw: "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", status: 400, code: "invalid_host"),
    InvalidRequest(name: "Host port only", raw: "GET / HTTP/1.1\r\nHost: :80\r\n\r\n", status: 400, code: "invalid_host"),
    InvalidRequest(
        name: "Content-Length with sign", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n", status: 400,
        code: "invalid_content_length"),
    InvalidRequest(
        name: "negative Content-Length", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", status: 400,
        code: "invalid_content_length"),
    InvalidRequest(
        name: "Content-Length with inner space", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\n", status: 400,
        code: "invalid_content_length"),
    InvalidRequest(
        name: "empty Content-Length", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n", status: 400,
        code: "invalid_content_length"),
    InvalidRequest(
        name: "hex Content-Length", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n", status: 400,
        code: "invalid_content_length"),
    InvalidRequest(
        name: "Content-Length list", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n", status: 400,
        code: "invalid_content_length"),
    InvalidRequest(
        name: "Content-Length overflow", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n",
        status: 400, code: "content_length_overflow"),
    InvalidRequest(
        name: "gzip then chunked", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", status: 501,
        code: "unsupported_transfer_encoding"),
    InvalidRequest(
        name: "unknown coding then chunked", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: foo,chunked\r\n\r\n",
        status: 501, code: "unsupported_transfer_encoding"),
    InvalidRequest(
        name: "gzip alone", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", status: 400,
        code: "invalid_transfer_encoding"),
    InvalidRequest(
        name: "chunked twice", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", status: 400,
        code: "invalid_transfer_encoding"),
    InvalidRequest(
        name: "empty Transfer-Encoding", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n\r\n", status: 400,
        code: "invalid_transfer_encoding"),
    InvalidRequest(
        name: "empty list element in Transfer-Encoding", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ,chunked\r\n\r\n",
        status: 400, code: "invalid_transfer_encoding"),
    InvalidRequest(
        name: "Transfer-Encoding parameter", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked;q=1\r\n\r\n",
        status: 400, code: "invalid_transfer_encoding"),
    InvalidRequest(
        name: "Transfer-Encoding in HTTP/1.0", raw: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", status: 400,
        code: "transfer_encoding_in_http10"),
    InvalidRequest(
        name: "Connection names Content-Length", raw: "GET / HTTP/1.1\r\nHost: a\r\nConnection: content-length\r\n\r\n",
        status: 400, code: "invalid_connection_header"),
    InvalidRequest(
        name: "Connection names Host", raw: "GET / HTTP/1.1\r\nHost: a\r\nConnection: close, Host\r\n\r\n", status: 400,
        code: "invalid_connection_header"),
    InvalidRequest(
        name: "Connection names Authorization", raw: "GET / HTTP/1.1\r\nHost: a\r\nConnection: authorization\r\n\r\n",
        status: 400, code: "invalid_connection_header"),
    InvalidRequest(
        name: "Connection with non-token", raw: "GET / HTTP/1.1\r\nHost: a\r\nConnection: close; x\r\n\r\n", status: 400,
        code: "invalid_connection_header"),
    InvalidRequest(
        name: "unknown expectation", raw: "PUT / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n", status: 417,
        code: "expectation_failed"),
    InvalidRequest(
        name: "expectation list", raw: "PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue, x\r\n\r\n", status: 417,
        code: "expectation_failed"),
    InvalidRequest(
        name: "two Expect headers", raw: "PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nExpect: 100-continue\r\n\r\n",
        status: 417, code: "expectation_failed"),
]

@Suite struct RequestHeadParserTests {
    @Test(arguments: validRequests)
    func acceptsValidRequest(_ row: ValidRequest) {
        let input = Feed.bytes(row.raw)
        let (status, head) = Feed.request(input)
        #expect(status == .complete)
        #expect(head.method == row.method)
        #expect(Feed.text(input, head.methodRange) == row.methodText)
        #expect(Feed.text(input, head.target) == row.target)
        #expect(head.version == row.version)
        #expect(head.framing == row.framing)
        #expect(head.keepAlive == row.keepAlive)
        #expect(head.expectContinue == row.expectContinue)
        #expect(head.headLength == input.count)
        #expect(head.headers.map(\.kind) == row.kinds)
        if let host = row.host {
            #expect(head.hostIndex >= 0 && Feed.text(input, head.headers[head.hostIndex].value) == host)
        } else {
            #expect(head.hostIndex == -1)
        }
    }

    @Test(arguments: validRequests)
    func validRequestSameResultHoweverSplit(_ row: ValidRequest) {
        let input = Feed.bytes(row.raw)
        let (wholeStatus, wholeHead) = Feed.request(input)
        for cuts in Feed.splits(input.count) {
            let (status, head) = Feed.request(input, cuts: cuts)
            #expect(status == wholeStatus, "cuts \(cuts)")
            #expect(head == wholeHead, "cuts \(cuts)")
        }
    }

    @Test(arguments: invalidRequests)
    func rejectsInvalidRequest(_ row: InvalidRequest) {
        let (status, _) = Feed.request(Feed.bytes(row.raw), limits: row.limits)
        guard case .invalid(let error) = status else {
            Issue.record("expected \(row.code), got \(status)")
            return
        }
        #expect(error.status == row.status)
        #expect(error.code == row.code)
        #expect(!error.message.isEmpty)
    }

    @Test(arguments: invalidRequests)
    func invalidRequestSameResultHoweverSplit(_ row: InvalidRequest) {
        let input = Feed.bytes(row.raw)
        let (wholeStatus, _) = Feed.request(input, limits: row.limits)
        for cuts in Feed.splits(input.count) {
            #expect(Feed.request(input, cuts: cuts, limits: row.limits).status == wholeStatus, "cuts \(cuts)")
        }
    }

    @Test func incompleteHeadNeedsMore() {
        for raw in ["", "G", "GET / HTTP/1.1", "GET / HTTP/1.1\r", "GET / HTTP/1.1\r\nHost: a\r\n", "GET / HTTP/1.1\r\nHost: a\r\n\r"] {
            #expect(Feed.request(Feed.bytes(raw)).status == .needMore, "\(raw.debugDescription)")
        }
    }

    @Test func bodyBytesAfterHeadAreNotPartOfIt() {
        let head = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\n"
        let input = Feed.bytes(head + "body")
        let (status, parsed) = Feed.request(input)
        #expect(status == .complete)
        #expect(parsed.headLength == head.utf8.count)
    }

    @Test func parserIsReusableAfterReset() {
        var parser = RequestHeadParser(limits: HeadLimits())
        var head = RequestHead()
        let bad = Feed.bytes("GET / HTTP/9.9\r\n\r\n")
        let good = Feed.bytes("DELETE /x HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n")
        let first = bad.withUnsafeBytes { parser.parse($0, into: &head) }
        #expect(first != .complete)
        parser.reset()
        #expect(good.withUnsafeBytes { parser.parse($0, into: &head) } == .complete)
        parser.reset()
        let short = Feed.bytes("GET / HTTP/1.0\r\n\r\n")
        #expect(short.withUnsafeBytes { parser.parse($0, into: &head) } == .complete)
        #expect(head.headers.isEmpty)
        #expect(head.method == .get)
        #expect(head.hostIndex == -1)
        #expect(head.headers.capacity >= 3)
    }

    @Test func targetAtExactLimitIsAccepted() {
        let target = "/" + String(repeating: "a", count: 15)
        let (status, head) = Feed.request(
            Feed.bytes("GET \(target) HTTP/1.1\r\nHost: a\r\n\r\n"), limits: HeadLimits(maxTargetBytes: 16))
        #expect(status == .complete)
        #expect(head.target.count == 16)
    }

    @Test func headAtExactByteLimitIsAccepted() {
        let raw = Feed.bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(Feed.request(raw, limits: HeadLimits(maxHeadBytes: raw.count)).status == .complete)
        #expect(Feed.request(raw, limits: HeadLimits(maxHeadBytes: raw.count - 1)).status != .complete)
    }

    @Test func headerCountAtLimitIsAccepted() {
        let raw = Feed.bytes("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n")
        #expect(Feed.request(raw, limits: HeadLimits(maxHeaderCount: 3)).status == .complete)
    }
}
