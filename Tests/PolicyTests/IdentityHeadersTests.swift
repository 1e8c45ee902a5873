import JSON
import JWT
import Testing

@testable import Policy

struct IdentityHeadersTests {
    static func render(_ json: String, headers: [(header: String, claim: ClaimPath)]? = nil) throws -> (
        headers: [(name: String, value: String)], dropped: [String]
    ) {
        let token = VerifiedToken(issuerIndex: 0, claims: try #require(try JSONParser.parse(json).objectValue))
        let profile = IssuerProfile(
            name: "idp", issuer: "https://idp.example", keys: [], rolesClaim: try #require(ClaimPath("realm_access.roles")),
            identityHeaders: headers)
        return IdentityHeaders.renderReporting(token: token, profile: profile)
    }

    @Test func defaultHeadersUseSubjectRolesAndIssuer() throws {
        let out = try Self.render(#"{"sub":"alice","iss":"https://idp.example","realm_access":{"roles":["a","b"]}}"#)
        #expect(out.headers.map(\.name) == ["X-Auth-Subject", "X-Auth-Roles", "X-Auth-Issuer"])
        #expect(out.headers.map(\.value) == ["alice", "a,b", "https://idp.example"])
    }

    @Test func absentClaimsProduceNoHeader() throws {
        let out = try Self.render(#"{"sub":"alice"}"#)
        #expect(out.headers.map(\.name) == ["X-Auth-Subject"])
    }

    @Test(arguments: [
        (#"["a","b"]"#, "a,b"),
        (#"["a,b","c"]"#, #"["a,b","c"]"#),
        (#"["a",1]"#, #"["a",1]"#),
        ("[]", ""),
        ("42", "42"),
        ("1.5e3", "1.5e3"),
        ("true", "true"),
        ("null", "null"),
        (#"{"k":"v"}"#, #"{"k":"v"}"#),
        (#""plain text""#, "plain text"),
        (#""  padded  ""#, "padded"),
        (#""evil\r\nX-Injected: 1""#, "evilX-Injected: 1"),
        (#""nul\u0000and\ttab\u007f""#, "nulandtab"),
        (#"["line\nbreak"]"#, "linebreak"),
        (#"["a,\r\nb"]"#, #"["a,\r\nb"]"#),
        (#""é中""#, "é中"),
    ])
    func encodesAndSanitises(claim: String, expected: String) throws {
        let path = try #require(ClaimPath("c"))
        let out = try Self.render(#"{"c":\#(claim)}"#, headers: [(header: "X-C", claim: path)])
        #expect(out.headers.first?.value == expected)
        for header in out.headers {
            #expect(!header.value.utf8.contains { $0 < 0x20 || $0 == 0x7F })
        }
    }

    @Test func oversizedValuesAreDroppedNotTruncated() throws {
        let path = try #require(ClaimPath("c"))
        let exact = String(repeating: "x", count: IdentityHeaders.maxValueBytes)
        let fits = try Self.render(#"{"c":"\#(exact)"}"#, headers: [(header: "X-C", claim: path)])
        #expect(fits.headers.first?.value == exact && fits.dropped.isEmpty)
        let over = try Self.render(#"{"c":"\#(exact)y"}"#, headers: [(header: "X-C", claim: path)])
        #expect(over.headers.isEmpty && over.dropped == ["X-C"])
    }
}

/// The allocation-free writer the proxy uses must give exactly what `render` gives.
@Test(arguments: [
    #"{"sub": "  kyle  ", "roles": ["reader", "admin"], "iss": "https://i"}"#,
    #"{"sub": "a\u0000b\r\nX-Evil: 1", "roles": ["x,y", "z"], "iss": "i"}"#,
    #"{"sub": 42, "roles": "  spaced  ", "iss": {"nested": true}}"#,
    #"{"sub": "   ", "roles": [], "iss": ""}"#,
    #"{"roles": ["a", 1]}"#,
])
func forEachMatchesRender(_ claimsJSON: String) throws {
    guard case .object(let claims) = try JSONParser.parse(claimsJSON) else {
        Issue.record("fixture is not an object")
        return
    }
    let token = VerifiedToken(issuerIndex: 0, claims: claims)
    let profile = IssuerProfile(name: "t", issuer: "i", keys: [])
    let rendered = IdentityHeaders.render(token: token, profile: profile)
    var streamed: [(String, String)] = []
    var scratch: [UInt8] = []
    IdentityHeaders.forEach(token: token, profile: profile, scratch: &scratch) { name, value in
        streamed.append((name, String(decoding: value, as: UTF8.self)))
    }
    #expect(streamed.map(\.0) == rendered.map(\.name))
    #expect(streamed.map(\.1) == rendered.map(\.value))
}
