import JSON
import Testing

@testable import JWT

struct ClaimPathTests {
    @Test(arguments: [
        ("roles", ["roles"]),
        ("realm_access.roles", ["realm_access", "roles"]),
        ("resource_access.my-client.roles", ["resource_access", "my-client", "roles"]),
        (#"["https://example.com/roles"]"#, ["https://example.com/roles"]),
        (#"resource_access["my.client"].roles"#, ["resource_access", "my.client", "roles"]),
        (#"a.["b.c"]"#, ["a", "b.c"]),
    ])
    func parses(text: String, segments: [String]) throws {
        let path = try #require(ClaimPath(text))
        #expect(path.segments == segments)
        #expect(ClaimPath(path.description) == path)
    }

    @Test(arguments: ["", ".", "a.", ".a", "a..b", #"["unterminated"#, #"[""]"#, #"["a"]b"#, "a]b"])
    func rejects(text: String) {
        #expect(ClaimPath(text) == nil)
    }

    @Test func readsStringsFromArraysAndSpaceSeparatedStrings() throws {
        let claims = try #require(
            try JSONParser.parse(
                #"{"realm_access":{"roles":["admin","reader",7]},"scope":"read  write","n":3,"#
                    + #""https://example.com/roles":["x"],"obj":{"a":1}}"#
            ).objectValue)
        #expect(ClaimPath("realm_access.roles")?.strings(in: claims) == ["admin", "reader"])
        #expect(ClaimPath("scope")?.strings(in: claims) == ["read", "write"])
        #expect(ClaimPath(#"["https://example.com/roles"]"#)?.strings(in: claims) == ["x"])
        #expect(ClaimPath("n")?.strings(in: claims) == [])
        #expect(ClaimPath("obj")?.strings(in: claims) == [])
        #expect(ClaimPath("missing.path")?.strings(in: claims) == [])
        #expect(ClaimPath("scope.deeper")?.strings(in: claims) == [])
    }
}

/// A bracket whose closing quote is its opening one must not form an inverted range.
@Test(arguments: [#"["]"#, #"[""]"#, #"a.["]"#])
func degenerateBracketsAreRejected(_ text: String) {
    #expect(ClaimPath(text) == nil)
}
