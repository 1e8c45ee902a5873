import HTTP1
import Testing

@Suite struct HeaderFieldTests {
    static let raw = Feed.bytes("GET / HTTP/1.1\r\nHost: a\r\nX-Auth-Role: Admin\r\nContent-TYPE:  text/plain \r\n\r\n")

    static func head() -> RequestHead {
        let (status, head) = Feed.request(raw)
        #expect(status == .complete)
        return head
    }

    @Test func nameComparisonIgnoresCase() {
        let head = Self.head()
        Self.raw.withUnsafeBytes { p in
            #expect(head.headers[2].nameEquals("content-type", in: p))
            #expect(head.headers[2].nameEquals(Feed.bytes("content-type"), in: p))
            #expect(!head.headers[2].nameEquals("content-typ", in: p))
            #expect(!head.headers[2].nameEquals(Feed.bytes("content-types"), in: p))
            #expect(head.headers[1].nameEquals("x-auth-role", in: p))
            #expect(head.headers[1].kind == .xAuthPrefix)
        }
    }

    @Test func valueIsTrimmedAndComparableIgnoringCase() {
        let head = Self.head()
        #expect(Feed.text(Self.raw, head.headers[2].value) == "text/plain")
        Self.raw.withUnsafeBytes { p in
            #expect(head.headers[2].valueEquals("text/plain", in: p))
            #expect(head.headers[1].valueEquals(Feed.bytes("admin"), in: p))
            #expect(!head.headers[1].valueEquals("admins", in: p))
        }
    }

    @Test(arguments: [
        ("Host", HeaderKind.host), ("content-length", .contentLength), ("Transfer-Encoding", .transferEncoding),
        ("CONNECTION", .connection), ("Keep-Alive", .hopByHop), ("TE", .hopByHop), ("Trailer", .hopByHop),
        ("Upgrade", .hopByHop), ("Proxy-Connection", .hopByHop), ("proxy-authorization", .hopByHop), ("Expect", .expect),
        ("Authorization", .authorization), ("Cookie", .cookie), ("X-Forwarded-For", .xForwardedFor),
        ("X-Forwarded-Proto", .xForwardedProto), ("X-Forwarded-Host", .xForwardedHost), ("X-Request-ID", .xRequestId),
        ("X-Auth-", .xAuthPrefix), ("x-auth-subject", .xAuthPrefix), ("X-Auth", .other), ("Proxy", .other),
        ("Hosts", .other), ("Transfer_Encoding", .other), ("Set-Cookie", .other),
    ])
    func kindOfName(_ name: String, _ kind: HeaderKind) {
        let value: String
        switch kind {
        case .contentLength: value = "0"
        case .transferEncoding: value = "chunked"
        case .expect: value = "100-continue"
        default: value = "v"
        }
        let host = kind == .host ? "" : "Host: h\r\n"
        let raw = Feed.bytes("GET / HTTP/1.1\r\n\(name): \(value)\r\n\(host)\r\n")
        let (status, head) = Feed.request(raw)
        #expect(status == .complete)
        #expect(head.headers.first?.kind == kind)
    }
}
