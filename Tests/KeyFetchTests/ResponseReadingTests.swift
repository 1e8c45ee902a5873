import KeyFetch
import Testing

/// The fetcher's handling of a provider's answer through `KeyFetchParsing` (the entry point the fuzz targets use), and the
/// regressions FuzzJWKSFetch's trust oracle guards.
@Suite struct ResponseReadingTests {
    static func response(_ head: String, body: [UInt8]) -> [UInt8] {
        Array(head.utf8) + body
    }

    static let limit = KeyFetchParsing.maxBodyBytes

    static func chunked(_ length: Int) -> [UInt8] {
        var out: [UInt8] = []
        var left = length
        while left > 0 {
            let size = min(left, 1 << 16)
            out += Array("\(String(size, radix: 16))\r\n".utf8) + [UInt8](repeating: 0x6B, count: size) + [13, 10]
            left -= size
        }
        return out + Array("0\r\n\r\n".utf8)
    }

    enum Framing: CaseIterable {
        case contentLength, untilClose, chunked

        func response(bodyBytes n: Int) -> [UInt8] {
            let filler = [UInt8](repeating: 0x6B, count: n)
            switch self {
            case .contentLength: return ResponseReadingTests.response("HTTP/1.1 200 OK\r\nContent-Length: \(n)\r\n\r\n", body: filler)
            case .untilClose: return ResponseReadingTests.response("HTTP/1.1 200 OK\r\n\r\n", body: filler)
            case .chunked:
                return ResponseReadingTests.response(
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", body: ResponseReadingTests.chunked(n))
            }
        }
    }

    /// As the fetcher reads: 16 KiB at a time.
    static func reads(_ bytes: [UInt8]) -> [[UInt8]] {
        stride(from: 0, to: bytes.count, by: 16 << 10).map { Array(bytes[$0..<min($0 + (16 << 10), bytes.count)]) }
    }

    /// Each framing at exactly the limit is accepted, one byte over it refused.
    @Test(arguments: Framing.allCases)
    func bodiesOverOneMiBAreRefused(_ framing: Framing) throws {
        let accepted = try KeyFetchParsing.response(Self.reads(framing.response(bodyBytes: Self.limit))).get()
        #expect(accepted.body.count == Self.limit)
        #expect(throws: KeyFetchError.self) {
            try KeyFetchParsing.response(Self.reads(framing.response(bodyBytes: Self.limit + 1))).get()
        }
    }

    @Test func interimResponsesAreSkippedAndFreshnessRead() throws {
        let bytes = Array(
            ("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nCache-Control: max-age=90\r\nCache-Control: max-age=30\r\n"
                + "Content-Length: 2\r\n\r\n{}").utf8)
        let response = try KeyFetchParsing.response(bytes.map { [$0] }).get()
        #expect(response.status == 200)
        #expect(response.maxAge == 30)
        #expect(response.body == Array("{}".utf8))
    }

    /// Found by review while writing FuzzJWKSFetch: `UInt8("-0")` is 0, so these hosts passed for 127.0.0.0/8 although
    /// they are names for the resolver, and a discovery document could send the key fetch there over plain http.
    @Test(arguments: ["http://127.-0.0.1/keys", "http://127.0.-00.1/", "http://127.0.0.-0/"])
    func signedOctetsAreNotLoopback(_ text: String) throws {
        let url = try #require(FetchURL(parsing: text))
        #expect(!url.isTrustworthy)
        let document = Array(#"{"issuer":"https://idp.example","jwks_uri":"\#(text)"}"#.utf8)
        #expect(throws: KeyFetchError.self) {
            try KeyFetchParsing.jwksURL(fromMetadata: document, issuer: "https://idp.example").get()
        }
    }

    @Test(arguments: ["http://127.0.0.1:+80/", "https://idp.example.com:+443/", "https://idp.example.com:-0/"])
    func signedPortsAreRefused(_ text: String) {
        #expect(FetchURL(parsing: text) == nil)
    }
}
