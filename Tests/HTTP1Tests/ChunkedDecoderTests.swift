import HTTP1
import Testing

struct ValidChunked: Sendable, CustomTestStringConvertible {
    var name: String
    var raw: String
    var payload: String
    var rest: String = ""
    var testDescription: String { name }
}

struct InvalidChunked: Sendable, CustomTestStringConvertible {
    var name: String
    var raw: String
    var status = 400
    var code = "invalid_chunk"
    var maxBodyBytes: Int?
    var testDescription: String { name }
}

let validChunkedBodies: [ValidChunked] = [
    ValidChunked(name: "one chunk", raw: "5\r\nhello\r\n0\r\n\r\n", payload: "hello"),
    ValidChunked(name: "several chunks", raw: "3\r\nabc\r\n2\r\nde\r\n1\r\nf\r\n0\r\n\r\n", payload: "abcdef"),
    ValidChunked(name: "empty body", raw: "0\r\n\r\n", payload: ""),
    ValidChunked(name: "last chunk with leading zeros", raw: "000\r\n\r\n", payload: ""),
    ValidChunked(name: "uppercase hex", raw: "A\r\n0123456789\r\n0\r\n\r\n", payload: "0123456789"),
    ValidChunked(name: "lowercase hex", raw: "b\r\n0123456789a\r\n0\r\n\r\n", payload: "0123456789a"),
    ValidChunked(name: "leading zeros", raw: "0005\r\nhello\r\n0\r\n\r\n", payload: "hello"),
    ValidChunked(name: "sixteen hex digits", raw: "0000000000000002\r\nhi\r\n0\r\n\r\n", payload: "hi"),
    ValidChunked(name: "data containing CRLF", raw: "4\r\n\r\n\r\n\r\n0\r\n\r\n", payload: "\r\n\r\n"),
    ValidChunked(name: "extension name only", raw: "5;ext\r\nhello\r\n0\r\n\r\n", payload: "hello"),
    ValidChunked(name: "extension with token value", raw: "5;a=b\r\nhello\r\n0;x=y\r\n\r\n", payload: "hello"),
    ValidChunked(name: "several extensions", raw: "5;a;b=c;d\r\nhello\r\n0\r\n\r\n", payload: "hello"),
    ValidChunked(name: "BWS around ; and =", raw: "5 ;\ta = b ; c\r\nhello\r\n0\r\n\r\n", payload: "hello"),
    ValidChunked(name: "quoted extension value", raw: "5;a=\"x y;z\"\r\nhello\r\n0\r\n\r\n", payload: "hello"),
    ValidChunked(name: "quoted value with escape", raw: "5;a=\"q\\\"x\"\r\nhello\r\n0\r\n\r\n", payload: "hello"),
    ValidChunked(name: "empty quoted value", raw: "5;a=\"\"\r\nhello\r\n0\r\n\r\n", payload: "hello"),
    ValidChunked(name: "trailer fields", raw: "5\r\nhello\r\n0\r\nX-Sum: abc\r\nEmpty:\r\n\r\n", payload: "hello"),
    ValidChunked(name: "pipelined bytes stay unconsumed", raw: "2\r\nhi\r\n0\r\n\r\nGET / HTTP/1.1\r\n", payload: "hi", rest: "GET / HTTP/1.1\r\n"),
]

let invalidChunkedBodies: [InvalidChunked] = [
    InvalidChunked(name: "empty size", raw: "\r\nhello\r\n0\r\n\r\n"),
    InvalidChunked(name: "0x prefix", raw: "0x5\r\nhello\r\n0\r\n\r\n"),
    InvalidChunked(name: "minus sign", raw: "-5\r\nhello\r\n0\r\n\r\n"),
    InvalidChunked(name: "plus sign", raw: "+5\r\nhello\r\n0\r\n\r\n"),
    InvalidChunked(name: "leading space", raw: " 5\r\nhello\r\n0\r\n\r\n"),
    InvalidChunked(name: "trailing space", raw: "5 \r\nhello\r\n0\r\n\r\n"),
    InvalidChunked(name: "trailing tab", raw: "5\t\r\nhello\r\n0\r\n\r\n"),
    InvalidChunked(name: "non-hex digit", raw: "g\r\nhello\r\n0\r\n\r\n"),
    InvalidChunked(name: "seventeen hex digits", raw: "00000000000000005\r\nhello\r\n0\r\n\r\n"),
    InvalidChunked(name: "size over Int.max", raw: "FFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n"),
    InvalidChunked(name: "bare LF after size", raw: "5\nhello\r\n0\r\n\r\n"),
    InvalidChunked(name: "bare CR after size", raw: "5\rhello\r\n0\r\n\r\n"),
    InvalidChunked(name: "bare LF after data", raw: "5\r\nhello\n0\r\n\r\n"),
    InvalidChunked(name: "data longer than size", raw: "5\r\nhelloX\r\n0\r\n\r\n"),
    InvalidChunked(name: "data shorter than size", raw: "5\r\nhell\r\n0\r\n\r\n"),
    InvalidChunked(name: "CR CR after data", raw: "5\r\nhello\r\r0\r\n\r\n"),
    InvalidChunked(name: "last chunk with bare LFs", raw: "0\n\n"),
    InvalidChunked(name: "final bare LF", raw: "0\r\n\n"),
    InvalidChunked(name: "final CR without LF", raw: "0\r\n\rX"),
    InvalidChunked(name: "empty extension name", raw: "5;\r\nhello\r\n0\r\n\r\n"),
    InvalidChunked(name: "extension missing value", raw: "5;a=\r\nhello\r\n0\r\n\r\n"),
    InvalidChunked(name: "extension whitespace before CRLF", raw: "5;a \r\nhello\r\n0\r\n\r\n"),
    InvalidChunked(name: "extension value whitespace before CRLF", raw: "5;a=b \r\nhello\r\n0\r\n\r\n"),
    InvalidChunked(name: "extension two values", raw: "5;a=b c\r\nhello\r\n0\r\n\r\n"),
    InvalidChunked(name: "extension bad name byte", raw: "5;a/b\r\nhello\r\n0\r\n\r\n"),
    InvalidChunked(name: "extension with bare LF", raw: "5;a=b\nhello\r\n0\r\n\r\n"),
    InvalidChunked(name: "quoted extension with CR", raw: "5;a=\"x\r\nhello\r\n0\r\n\r\n"),
    InvalidChunked(name: "garbage after quoted value", raw: "5;a=\"x\"y\r\nhello\r\n0\r\n\r\n"),
    InvalidChunked(name: "extension too long", raw: "5;a=" + String(repeating: "b", count: 5000) + "\r\nhello\r\n0\r\n\r\n"),
    InvalidChunked(name: "trailer obs-fold", raw: "0\r\nA: b\r\n c\r\n\r\n"),
    InvalidChunked(name: "trailer space before colon", raw: "0\r\nA : b\r\n\r\n"),
    InvalidChunked(name: "trailer without colon", raw: "0\r\nAb\r\n\r\n"),
    InvalidChunked(name: "trailer NUL in value", raw: "0\r\nA: \0\r\n\r\n"),
    InvalidChunked(name: "trailer bare LF", raw: "0\r\nA: b\n\r\n"),
    InvalidChunked(name: "trailers too large", raw: "0\r\nA: " + String(repeating: "x", count: 9000) + "\r\n\r\n"),
    InvalidChunked(name: "chunk over body limit", raw: "5\r\nhello\r\n0\r\n\r\n", status: 413, code: "payload_too_large", maxBodyBytes: 4),
    InvalidChunked(
        name: "sum of chunks over body limit", raw: "3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n", status: 413, code: "payload_too_large",
        maxBodyBytes: 5),
]

@Suite struct ChunkedDecoderTests {
    @Test(arguments: validChunkedBodies)
    func decodesValidBody(_ row: ValidChunked) {
        let outcome = Feed.chunked(Feed.bytes(row.raw))
        #expect(outcome == .body(payload: Feed.bytes(row.payload), rest: Feed.bytes(row.rest)))
    }

    @Test(arguments: validChunkedBodies)
    func validBodySameResultHoweverSplit(_ row: ValidChunked) {
        let input = Feed.bytes(row.raw)
        let expected = Feed.ChunkedOutcome.body(payload: Feed.bytes(row.payload), rest: Feed.bytes(row.rest))
        for cuts in Feed.splits(input.count) {
            #expect(Feed.chunked(input, cuts: cuts) == expected, "cuts \(cuts)")
        }
    }

    @Test(arguments: invalidChunkedBodies)
    func rejectsInvalidBody(_ row: InvalidChunked) {
        let input = Feed.bytes(row.raw)
        let outcome = Feed.chunked(input, maxBodyBytes: row.maxBodyBytes)
        guard case .invalid(let error) = outcome else {
            Issue.record("expected \(row.code), got \(outcome)")
            return
        }
        #expect(error.status == row.status)
        #expect(error.code == row.code)
        #expect(!error.message.isEmpty)
        for cuts in [[input.count / 2], Array(0..<input.count)] {
            #expect(Feed.chunked(input, cuts: cuts, maxBodyBytes: row.maxBodyBytes) == outcome, "cuts \(cuts)")
        }
    }

    @Test func bodyAtExactLimitIsAccepted() {
        #expect(Feed.chunked(Feed.bytes("5\r\nhello\r\n0\r\n\r\n"), maxBodyBytes: 5) == .body(payload: Feed.bytes("hello"), rest: []))
    }

    @Test func truncatedBodyNeedsMore() {
        #expect(Feed.chunked(Feed.bytes("5\r\nhel")) == .incomplete(payload: Feed.bytes("hel")))
        #expect(Feed.chunked(Feed.bytes("5\r\nhello\r\n0\r\n")) == .incomplete(payload: Feed.bytes("hello")))
    }

    @Test func dataEventsReportOffsetsIntoTheInput() {
        var decoder = ChunkedDecoder(maxBodyBytes: nil)
        let input = Feed.bytes("3;x=y\r\nabc\r\n")
        let (event, consumed) = input.withUnsafeBytes { decoder.next($0) }
        #expect(event == .data(7..<10))
        #expect(consumed == 10)
        let tail = Array(input[10...])
        let (next, used) = tail.withUnsafeBytes { decoder.next($0) }
        #expect(next == .needMore)
        #expect(used == 2)
    }

    @Test func decoderIsReusableAfterReset() {
        var decoder = ChunkedDecoder(maxBodyBytes: 3)
        let big = Feed.bytes("4\r\n")
        #expect(big.withUnsafeBytes { decoder.next($0) }.event != .needMore)
        decoder.reset()
        let small = Feed.bytes("0\r\n\r\n")
        #expect(small.withUnsafeBytes { decoder.next($0) } == (.end, 5))
    }
}
