import HTTP1
import Testing

struct PathCase: Sendable, CustomTestStringConvertible {
    var input: String
    var path: String
    var queryStart: Int? = nil
    var encodedSlash = false
    var testDescription: String { "\(input) -> \(path)" }
}

let normalizedPaths: [PathCase] = [
    PathCase(input: "/", path: "/"),
    PathCase(input: "/a/b/c", path: "/a/b/c"),
    PathCase(input: "/a/b/", path: "/a/b/"),
    // RFC 3986 §5.4.1 and §5.4.2 dot-segment examples, rebased on the path /b/c/.
    PathCase(input: "/b/c/g", path: "/b/c/g"),
    PathCase(input: "/b/c/./g", path: "/b/c/g"),
    PathCase(input: "/b/c/g/", path: "/b/c/g/"),
    PathCase(input: "/b/c/.", path: "/b/c/"),
    PathCase(input: "/b/c/./", path: "/b/c/"),
    PathCase(input: "/b/c/..", path: "/b/"),
    PathCase(input: "/b/c/../", path: "/b/"),
    PathCase(input: "/b/c/../g", path: "/b/g"),
    PathCase(input: "/b/c/../..", path: "/"),
    PathCase(input: "/b/c/../../", path: "/"),
    PathCase(input: "/b/c/../../g", path: "/g"),
    PathCase(input: "/b/c/../../../g", path: "/g"),
    PathCase(input: "/b/c/../../../../g", path: "/g"),
    PathCase(input: "/./g", path: "/g"),
    PathCase(input: "/../g", path: "/g"),
    PathCase(input: "/b/c/g.", path: "/b/c/g."),
    PathCase(input: "/b/c/.g", path: "/b/c/.g"),
    PathCase(input: "/b/c/g..", path: "/b/c/g.."),
    PathCase(input: "/b/c/..g", path: "/b/c/..g"),
    PathCase(input: "/b/c/./../g", path: "/b/g"),
    PathCase(input: "/b/c/./g/.", path: "/b/c/g/"),
    PathCase(input: "/b/c/g/./h", path: "/b/c/g/h"),
    PathCase(input: "/b/c/g/../h", path: "/b/c/h"),
    PathCase(input: "/b/c/g;x=1/./y", path: "/b/c/g;x=1/y"),
    PathCase(input: "/b/c/g;x=1/../y", path: "/b/c/y"),
    // RFC 3986 §5.2.4 worked examples.
    PathCase(input: "/a/b/c/./../../g", path: "/a/g"),
    PathCase(input: "/mid/content=5/../6", path: "/mid/6"),
    PathCase(input: "/..", path: "/"),
    PathCase(input: "/../..", path: "/"),
    PathCase(input: "/.", path: "/"),
    PathCase(input: "/a/.", path: "/a/"),
    PathCase(input: "/...", path: "/..."),
    // Encoded dots count as dots.
    PathCase(input: "/a/%2E%2E/b", path: "/b"),
    PathCase(input: "/a/%2e%2e/b", path: "/b"),
    PathCase(input: "/a/.%2E/b", path: "/b"),
    PathCase(input: "/a/%2E/b", path: "/a/b"),
    PathCase(input: "/%2e%2e/admin", path: "/admin"),
    // Repeated slashes.
    PathCase(input: "//admin", path: "/admin"),
    PathCase(input: "/a//b///c", path: "/a/b/c"),
    PathCase(input: "/a//", path: "/a/"),
    PathCase(input: "///", path: "/"),
    PathCase(input: "/a/.//../b", path: "/b"),
    // Percent-encoding.
    PathCase(input: "/%61dmin", path: "/admin"),
    PathCase(input: "/%41%5a%30%2D%5F%7E", path: "/AZ0-_~"),
    PathCase(input: "/a%20b", path: "/a%20b"),
    PathCase(input: "/a%3fb", path: "/a%3Fb"),
    PathCase(input: "/a%25b", path: "/a%25b"),
    PathCase(input: "/caf%c3%a9", path: "/caf%C3%A9"),
    PathCase(input: "/a%2fb", path: "/a%2Fb", encodedSlash: true),
    PathCase(input: "/a%2Fb", path: "/a%2Fb", encodedSlash: true),
    PathCase(input: "/a%2F..%2Fb", path: "/a%2F..%2Fb", encodedSlash: true),
    PathCase(input: "/x/%2F/../y", path: "/x/y", encodedSlash: true),
    // Sub-delims, ":" and "@" stay literal.
    PathCase(input: "/a:b@c!$&'()*+,;=", path: "/a:b@c!$&'()*+,;="),
    // The query is left exactly as it is.
    PathCase(input: "/a/../b?x=/../%2e&y=%zz", path: "/b", queryStart: 8),
    PathCase(input: "/?", path: "/", queryStart: 2),
    PathCase(input: "/a/?q", path: "/a/", queryStart: 4),
    PathCase(input: "/a/..?q", path: "/", queryStart: 6),
]

let invalidPaths: [String] = [
    "", "a/b", "*", "/a\\b", "/%5C", "/%5c", "/a%00b", "/a\0b", "/%", "/a%", "/a%1", "/%G1", "/%1G", "/a%2",
    "/a b", "/a#b", "/a%0A", "/a%0d", "/%7F", "/caf\u{E9}", "/a\"b",
]

@Suite struct PathNormalizerTests {
    static func run(_ input: String) -> (Result<NormalizedTarget, HTTPError>, String) {
        var path: [UInt8] = []
        let bytes = Feed.bytes(input)
        let result = bytes.withUnsafeBytes { PathNormalizer.normalize($0, into: &path) }
        return (result, String(decoding: path, as: UTF8.self))
    }

    @Test(arguments: normalizedPaths)
    func normalizes(_ row: PathCase) {
        let (result, path) = Self.run(row.input)
        #expect(result == .success(NormalizedTarget(queryStart: row.queryStart, hasEncodedSlash: row.encodedSlash)))
        #expect(path == row.path)
    }

    @Test(arguments: normalizedPaths)
    func normalizingTwiceChangesNothing(_ row: PathCase) {
        let (_, once) = Self.run(row.input)
        let (result, twice) = Self.run(once)
        #expect(twice == once)
        #expect(result == .success(NormalizedTarget(queryStart: nil, hasEncodedSlash: once.contains("%2F"))))
    }

    @Test(arguments: invalidPaths)
    func rejects(_ input: String) {
        let (result, _) = Self.run(input)
        guard case .failure(let error) = result else {
            Issue.record("expected invalid_path for \(input.debugDescription)")
            return
        }
        #expect(error.status == 400)
        #expect(error.code == "invalid_path")
    }

    @Test func reusesOutputCapacity() {
        var path: [UInt8] = []
        path.reserveCapacity(64)
        let capacity = path.capacity
        let bytes = Feed.bytes("/x/y")
        _ = bytes.withUnsafeBytes { PathNormalizer.normalize($0, into: &path) }
        #expect(path == Feed.bytes("/x/y"))
        #expect(path.capacity == capacity)
    }
}
