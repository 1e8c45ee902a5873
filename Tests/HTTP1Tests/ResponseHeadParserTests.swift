import HTTP1
import Testing

struct ValidResponse: Sendable, CustomTestStringConvertible {
    var name: String
    var raw: String
    var method: HTTPMethod = .get
    var status: Int
    var version: HTTPVersion = .http1_1
    var framing: ResponseFraming
    var keepAlive: Bool
    var kinds: [HeaderKind] = []
    var testDescription: String { name }
}

struct InvalidResponse: Sendable, CustomTestStringConvertible {
    var name: String
    var raw: String
    var method: HTTPMethod = .get
    var code: String
    var limits = HeadLimits()
    var testDescription: String { name }
}

let validResponses: [ValidResponse] = [
    ValidResponse(
        name: "Content-Length", raw: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", status: 200, framing: .contentLength(5),
        keepAlive: true, kinds: [.contentLength]),
    ValidResponse(
        name: "chunked", raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", status: 200, framing: .chunked,
        keepAlive: true, kinds: [.transferEncoding]),
    ValidResponse(
        name: "no framing reads until close", raw: "HTTP/1.1 200 OK\r\nServer: x\r\n\r\n", status: 200, framing: .untilClose,
        keepAlive: false, kinds: [.other]),
    ValidResponse(
        name: "HEAD response ignores Content-Length", raw: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", method: .head,
        status: 200, framing: .none, keepAlive: true, kinds: [.contentLength]),
    ValidResponse(
        name: "HEAD response ignores chunked", raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", method: .head,
        status: 200, framing: .none, keepAlive: true, kinds: [.transferEncoding]),
    ValidResponse(name: "204", raw: "HTTP/1.1 204 No Content\r\n\r\n", status: 204, framing: .none, keepAlive: true),
    ValidResponse(
        name: "204 with Content-Length 0", raw: "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n", status: 204,
        framing: .none, keepAlive: true, kinds: [.contentLength]),
    ValidResponse(
        name: "304 with Content-Length", raw: "HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n", status: 304,
        framing: .none, keepAlive: true, kinds: [.contentLength]),
    ValidResponse(name: "100 Continue", raw: "HTTP/1.1 100 Continue\r\n\r\n", status: 100, framing: .none, keepAlive: true),
    ValidResponse(
        name: "103 Early Hints", raw: "HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n", status: 103, framing: .none,
        keepAlive: true, kinds: [.other]),
    ValidResponse(
        name: "HTTP/1.0 closes by default", raw: "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n", status: 200, version: .http1_0,
        framing: .contentLength(2), keepAlive: false, kinds: [.contentLength]),
    ValidResponse(
        name: "HTTP/1.0 keep-alive", raw: "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n", status: 200,
        version: .http1_0, framing: .contentLength(2), keepAlive: true, kinds: [.connection, .contentLength]),
    ValidResponse(
        name: "Connection close", raw: "HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", status: 404,
        framing: .contentLength(0), keepAlive: false, kinds: [.connection, .contentLength]),
    ValidResponse(
        name: "Connection names a header", raw: "HTTP/1.1 200 OK\r\nConnection: X-Internal\r\nX-Internal: 1\r\nContent-Length: 0\r\n\r\n",
        status: 200, framing: .contentLength(0), keepAlive: true, kinds: [.connection, .hopByHop, .contentLength]),
    ValidResponse(
        name: "no reason phrase", raw: "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", status: 200, framing: .contentLength(0),
        keepAlive: true, kinds: [.contentLength]),
    ValidResponse(
        name: "empty reason phrase", raw: "HTTP/1.1 500 \r\nContent-Length: 0\r\n\r\n", status: 500, framing: .contentLength(0),
        keepAlive: true, kinds: [.contentLength]),
    ValidResponse(
        name: "reason with tab and obs-text", raw: "HTTP/1.1 418 I'm a\tt\u{E9}apot\r\nContent-Length: 0\r\n\r\n", status: 418,
        framing: .contentLength(0), keepAlive: true, kinds: [.contentLength]),
    ValidResponse(
        name: "Set-Cookie is other", raw: "HTTP/1.1 302 Found\r\nSet-Cookie: a=b\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n",
        status: 302, framing: .contentLength(0), keepAlive: true, kinds: [.other, .other, .contentLength]),
]

let invalidResponses: [InvalidResponse] = [
    InvalidResponse(name: "101 upgrade", raw: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", code: "upstream_upgrade_not_supported"),
    InvalidResponse(
        name: "CL and TE", raw: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        code: "upstream_ambiguous_framing"),
    InvalidResponse(
        name: "CL and TE on HEAD", raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", method: .head,
        code: "upstream_ambiguous_framing"),
    InvalidResponse(name: "HTTP/2.0", raw: "HTTP/2.0 200 OK\r\n\r\n", code: "upstream_http_version_not_supported"),
    InvalidResponse(name: "two-digit status", raw: "HTTP/1.1 20 OK\r\n\r\n", code: "upstream_invalid_status_line"),
    InvalidResponse(name: "four-digit status", raw: "HTTP/1.1 2000 OK\r\n\r\n", code: "upstream_invalid_status_line"),
    InvalidResponse(name: "status 600", raw: "HTTP/1.1 600 X\r\n\r\n", code: "upstream_invalid_status_line"),
    InvalidResponse(name: "status 099", raw: "HTTP/1.1 099 X\r\n\r\n", code: "upstream_invalid_status_line"),
    InvalidResponse(name: "lowercase version", raw: "http/1.1 200 OK\r\n\r\n", code: "upstream_invalid_status_line"),
    InvalidResponse(name: "double space", raw: "HTTP/1.1  200 OK\r\n\r\n", code: "upstream_invalid_status_line"),
    InvalidResponse(name: "tab separator", raw: "HTTP/1.1\t200 OK\r\n\r\n", code: "upstream_invalid_status_line"),
    InvalidResponse(name: "control in reason", raw: "HTTP/1.1 200 O\u{01}K\r\n\r\n", code: "upstream_invalid_status_line"),
    InvalidResponse(name: "leading empty line", raw: "\r\nHTTP/1.1 200 OK\r\n\r\n", code: "upstream_invalid_status_line"),
    InvalidResponse(name: "bare LF", raw: "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", code: "upstream_invalid_line_ending"),
    InvalidResponse(name: "bare CR", raw: "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", code: "upstream_invalid_line_ending"),
    InvalidResponse(name: "obs-fold", raw: "HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n", code: "upstream_obsolete_line_folding"),
    InvalidResponse(name: "space before colon", raw: "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n", code: "upstream_invalid_header_name"),
    InvalidResponse(name: "NUL in value", raw: "HTTP/1.1 200 OK\r\nX: \0\r\n\r\n", code: "upstream_invalid_header_value"),
    InvalidResponse(
        name: "TE gzip", raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", code: "upstream_invalid_transfer_encoding"),
    InvalidResponse(
        name: "TE gzip, chunked", raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
        code: "upstream_unsupported_transfer_encoding"),
    InvalidResponse(
        name: "TE twice", raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        code: "upstream_invalid_transfer_encoding"),
    InvalidResponse(
        name: "TE in HTTP/1.0", raw: "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", code: "upstream_transfer_encoding_in_http10"),
    InvalidResponse(
        name: "duplicate CL", raw: "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
        code: "upstream_invalid_content_length"),
    InvalidResponse(
        name: "CL list", raw: "HTTP/1.1 200 OK\r\nContent-Length: 1,1\r\n\r\n", code: "upstream_invalid_content_length"),
    InvalidResponse(
        name: "bad CL on HEAD response", raw: "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", method: .head,
        code: "upstream_invalid_content_length"),
    InvalidResponse(
        name: "204 with chunked", raw: "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n",
        code: "upstream_invalid_bodiless_framing"),
    InvalidResponse(
        name: "100 with Content-Length", raw: "HTTP/1.1 100 Continue\r\nContent-Length: 5\r\n\r\n",
        code: "upstream_invalid_bodiless_framing"),
    InvalidResponse(
        name: "Connection names Transfer-Encoding", raw: "HTTP/1.1 200 OK\r\nConnection: transfer-encoding\r\nContent-Length: 0\r\n\r\n",
        code: "upstream_invalid_connection_header"),
    InvalidResponse(
        name: "too many headers", raw: "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\n\r\n", code: "upstream_headers_too_large",
        limits: HeadLimits(maxHeaderCount: 1)),
    InvalidResponse(
        name: "head too large", raw: "HTTP/1.1 200 OK\r\nA: " + String(repeating: "x", count: 100), code: "upstream_headers_too_large",
        limits: HeadLimits(maxHeadBytes: 64)),
]

@Suite struct ResponseHeadParserTests {
    @Test(arguments: validResponses)
    func acceptsValidResponse(_ row: ValidResponse) {
        let input = Feed.bytes(row.raw)
        let (status, head) = Feed.response(input, method: row.method)
        #expect(status == .complete)
        #expect(head.status == row.status)
        #expect(head.version == row.version)
        #expect(head.framing == row.framing)
        #expect(head.keepAlive == row.keepAlive)
        #expect(head.headers.map(\.kind) == row.kinds)
        #expect(head.headLength == input.count)
        #expect(head.isInformational == (row.status < 200))
    }

    @Test(arguments: validResponses)
    func validResponseSameResultHoweverSplit(_ row: ValidResponse) {
        let input = Feed.bytes(row.raw)
        let (wholeStatus, wholeHead) = Feed.response(input, method: row.method)
        for cuts in Feed.splits(input.count) {
            let (status, head) = Feed.response(input, method: row.method, cuts: cuts)
            #expect(status == wholeStatus, "cuts \(cuts)")
            #expect(head == wholeHead, "cuts \(cuts)")
        }
    }

    @Test(arguments: invalidResponses)
    func rejectsInvalidResponse(_ row: InvalidResponse) {
        let input = Feed.bytes(row.raw)
        let (status, _) = Feed.response(input, method: row.method, limits: row.limits)
        guard case .invalid(let error) = status else {
            Issue.record("expected \(row.code), got \(status)")
            return
        }
        #expect(error.status == 502)
        #expect(error.code == row.code)
        for cuts in Feed.splits(input.count) {
            #expect(Feed.response(input, method: row.method, cuts: cuts, limits: row.limits).status == status, "cuts \(cuts)")
        }
    }

    @Test func interimThenFinalResponseOnOneConnection() {
        let interim = "HTTP/1.1 100 Continue\r\n\r\n"
        let input = Feed.bytes(interim + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        var parser = ResponseHeadParser(limits: HeadLimits())
        var head = ResponseHead()
        #expect(input.withUnsafeBytes { parser.parse($0, requestMethod: .post, into: &head) } == .complete)
        #expect(head.isInformational)
        let skip = head.headLength
        #expect(skip == interim.utf8.count)
        parser.reset()
        let final = input.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[skip...]), requestMethod: .post, into: &head) }
        #expect(final == .complete)
        #expect(head.status == 200)
        #expect(head.framing == .contentLength(2))
    }
}
