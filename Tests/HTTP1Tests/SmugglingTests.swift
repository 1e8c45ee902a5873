import HTTP1
import Testing

/// Known request-smuggling shapes. Each must be refused by the head parser or the chunked decoder, never guessed at.
struct SmugglingCase: Sendable, CustomTestStringConvertible {
    var name: String
    var raw: String
    var code: String
    var testDescription: String { name }
}

let smugglingHeads: [SmugglingCase] = [
    SmugglingCase(
        name: "CL.TE", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 13\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nSMUGGLED",
        code: "ambiguous_framing"),
    SmugglingCase(
        name: "TE.CL", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n",
        code: "ambiguous_framing"),
    SmugglingCase(
        name: "TE.TE xchunked", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n", code: "invalid_transfer_encoding"),
    SmugglingCase(
        name: "chunked then identity", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n",
        code: "invalid_transfer_encoding"),
    SmugglingCase(
        name: "duplicate Transfer-Encoding", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        code: "invalid_transfer_encoding"),
    SmugglingCase(
        name: "Transfer-Encoding split across two headers",
        raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n", code: "invalid_transfer_encoding"),
    SmugglingCase(
        name: "folded Transfer-Encoding", raw: "POST / HTTP/1.1\r\nHost: a\r\n Transfer-Encoding: chunked\r\n\r\n",
        code: "obsolete_line_folding"),
    SmugglingCase(
        name: "chunked on a continuation line", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n chunked\r\n\r\n",
        code: "obsolete_line_folding"),
    SmugglingCase(
        name: "space before colon", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n", code: "invalid_header_name"),
    SmugglingCase(
        name: "tab before colon", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding\t: chunked\r\n\r\n", code: "invalid_header_name"),
    SmugglingCase(
        name: "vertical tab before value", raw: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\u{0B}chunked\r\n\r\n",
        code: "invalid_header_value"),
    SmugglingCase(
        name: "duplicate Content-Length with equal values",
        raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", code: "invalid_content_length"),
    SmugglingCase(
        name: "duplicate Content-Length with different values",
        raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello", code: "invalid_content_length"),
    SmugglingCase(
        name: "Content-Length list", raw: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5,5\r\n\r\nhello", code: "invalid_content_length"),
    SmugglingCase(
        name: "bare LF header terminator", raw: "POST / HTTP/1.1\r\nHost: a\nContent-Length: 5\r\n\r\nhello", code: "invalid_line_ending"),
    SmugglingCase(
        name: "Connection strips Content-Length", raw: "POST / HTTP/1.1\r\nHost: a\r\nConnection: Content-Length\r\nContent-Length: 5\r\n\r\n",
        code: "invalid_connection_header"),
    SmugglingCase(
        name: "Transfer-Encoding in HTTP/1.0", raw: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
        code: "ambiguous_framing"),
]

let smugglingBodies: [SmugglingCase] = [
    SmugglingCase(name: "chunk extension with bare LF", raw: "5;ext\nhello\r\n0\r\n\r\n", code: "invalid_chunk"),
    SmugglingCase(name: "last chunk with bare LFs", raw: "0\n\n", code: "invalid_chunk"),
    SmugglingCase(name: "size with trailing whitespace", raw: "5 \r\nhello\r\n0\r\n\r\n", code: "invalid_chunk"),
    SmugglingCase(name: "size overflow wraps to small", raw: "10000000000000005\r\nhello\r\n0\r\n\r\n", code: "invalid_chunk"),
    SmugglingCase(name: "data not followed by CRLF", raw: "2\r\nhello\r\n0\r\n\r\n", code: "invalid_chunk"),
    SmugglingCase(name: "0x size", raw: "0x0\r\n\r\n", code: "invalid_chunk"),
]

@Suite struct SmugglingTests {
    @Test(arguments: smugglingHeads)
    func headIsRefused(_ row: SmugglingCase) {
        let input = Feed.bytes(row.raw)
        for cuts in Feed.splits(input.count) {
            let (status, _) = Feed.request(input, cuts: cuts)
            guard case .invalid(let error) = status else {
                Issue.record("accepted with cuts \(cuts)")
                return
            }
            #expect(error.code == row.code, "cuts \(cuts)")
        }
    }

    @Test(arguments: smugglingBodies)
    func chunkedBodyIsRefused(_ row: SmugglingCase) {
        let input = Feed.bytes(row.raw)
        for cuts in Feed.splits(input.count) {
            guard case .invalid(let error) = Feed.chunked(input, cuts: cuts) else {
                Issue.record("accepted with cuts \(cuts)")
                return
            }
            #expect(error.code == row.code, "cuts \(cuts)")
        }
    }

    @Test func leadingWhitespaceInTransferEncodingValueIsOWS() {
        // " chunked" after the colon is ordinary OWS (RFC 9110 §5.5) and means exactly chunked: not ambiguous.
        let (status, head) = Feed.request(Feed.bytes("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:  chunked\r\n\r\n"))
        #expect(status == .complete)
        #expect(head.framing == .chunked)
    }
}
