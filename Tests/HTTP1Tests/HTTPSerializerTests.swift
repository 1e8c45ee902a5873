import HTTP1
import Testing

@Suite struct HTTPSerializerTests {
    @Test(arguments: [(1, "1\r\n"), (10, "a\r\n"), (26, "1a\r\n"), (255, "ff\r\n"), (4096, "1000\r\n"), (Int.max, "7fffffffffffffff\r\n")])
    func chunkHeader(_ count: Int, _ expected: String) {
        var out: [UInt8] = []
        HTTPSerializer.appendChunkHeader(count, into: &out)
        #expect(out == Feed.bytes(expected))
    }

    @Test(arguments: [(0, "0"), (7, "7"), (10, "10"), (12345, "12345"), (-42, "-42"), (Int.max, "9223372036854775807"),
                      (Int.min, "-9223372036854775808")])
    func decimal(_ n: Int, _ expected: String) {
        var out: [UInt8] = [0x3E]
        HTTPSerializer.appendDecimal(n, into: &out)
        #expect(out == Feed.bytes(">" + expected))
    }

    @Test func lastChunk() {
        #expect(HTTPSerializer.lastChunk == Feed.bytes("0\r\n\r\n"))
    }

    @Test(arguments: [(200, "OK"), (404, "Not Found"), (413, "Content Too Large"), (502, "Bad Gateway"), (799, "Unknown")])
    func reasonPhrase(_ status: Int, _ expected: String) {
        #expect(HTTPSerializer.reasonPhrase(status) == expected)
    }

    @Test func statusLine() {
        var out: [UInt8] = []
        HTTPSerializer.appendStatusLine(431, into: &out)
        #expect(out == Feed.bytes("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
    }

    @Test func serializedChunksDecode() {
        var body: [UInt8] = []
        HTTPSerializer.appendChunkHeader(26, into: &body)
        body += Feed.bytes("abcdefghijklmnopqrstuvwxyz\r\n")
        body += HTTPSerializer.lastChunk
        #expect(Feed.chunked(body) == .body(payload: Feed.bytes("abcdefghijklmnopqrstuvwxyz"), rest: []))
    }
}
