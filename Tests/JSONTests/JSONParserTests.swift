import Testing

@testable import JSON

struct JSONParserTests {
    @Test func parsesNestedDocumentInSourceOrder() throws {
        let value = try JSONParser.parse(#" { "b": [1, -2.5e3, true, false, null], "a": {"x": "y"} } "#)
        let object = try #require(value.objectValue)
        #expect(object.members.map(\.key) == ["b", "a"])
        #expect(object["b"] == [1, .number(try #require(JSONNumber(-2500))), true, false, nil])
        #expect(object["a"]?.objectValue?["x"] == "y")
        #expect(object["missing"] == nil)
    }

    @Test(arguments: [
        ("\"plain\"", "plain"),
        (#""a\"b\\c\/d\b\f\n\r\t""#, "a\"b\\c/d\u{8}\u{C}\n\r\t"),
        (#""\u00e9\u4e2d""#, "é中"),
        (#""\ud83d\ude00""#, "😀"),
        ("\"é中😀\"", "é中😀"),
        (#""\u0000""#, "\u{0}"),
        (#""pre\nfix""#, "pre\nfix"),
    ])
    func decodesStrings(source: String, expected: String) throws {
        #expect(try JSONParser.parse(source) == .string(expected))
    }

    @Test func parsesTopLevelScalars() throws {
        #expect(try JSONParser.parse("true") == true)
        #expect(try JSONParser.parse("null") == nil)
        #expect(try JSONParser.parse(" 0 ") == 0)
        #expect(try JSONParser.parse("[]") == [])
        #expect(try JSONParser.parse("{}") == .object(JSONObject()))
    }

    @Test(arguments: [
        ("", "unexpected end of input"),
        ("   ", "unexpected end of input"),
        (#"{"a":1,"a":2}"#, "duplicate member name \"a\""),
        (#"{"a":1,"\u0061":2}"#, "duplicate member name \"a\""),
        ("[1,]", "trailing comma in array"),
        (#"{"a":1,}"#, "trailing comma in object"),
        ("[,1]", "unexpected character"),
        ("01", "leading zero in number"),
        ("-01", "leading zero in number"),
        ("1.", "expected a digit after '.'"),
        (".5", "unexpected character"),
        ("1e", "expected a digit in exponent"),
        ("+1", "unexpected character"),
        ("-", "expected a digit"),
        ("1e999", "number out of range"),
        ("\"a\u{1}b\"", "control character in string"),
        ("\"tab\there\"", "control character in string"),
        (#""\ud800""#, "lone surrogate in \\u escape"),
        (#""\udc00""#, "lone surrogate in \\u escape"),
        (#""\ud800\u0041""#, "lone surrogate in \\u escape"),
        (#""\u12zz""#, "invalid hex digit in \\u escape"),
        (#""\u12""#, "truncated \\u escape"),
        (#""\x41""#, "invalid escape"),
        ("\"abc", "unterminated string"),
        ("{} {}", "unexpected data after the JSON value"),
        ("[1] x", "unexpected data after the JSON value"),
        ("tru", "invalid literal"),
        ("nul", "invalid literal"),
        ("True", "unexpected character"),
        (#"{"a" 1}"#, "expected ':' after a member name"),
        (#"{1:2}"#, "expected a member name"),
        ("[1 2]", "expected ',' or ']' in array"),
        (#"{"a":1 "b":2}"#, "expected ',' or '}' in object"),
        ("[1", "unexpected end of input in array"),
        ("NaN", "unexpected character"),
        ("'a'", "unexpected character"),
    ])
    func rejects(source: String, message: String) {
        #expect(throws: JSONError.self) { try JSONParser.parse(source) }
        do {
            _ = try JSONParser.parse(source)
        } catch {
            #expect(error.message == message)
        }
    }

    @Test(arguments: [
        [0x22, 0xC3, 0x22] as [UInt8],  // truncated 2-byte sequence
        [0x22, 0xC0, 0xAF, 0x22],  // overlong "/"
        [0x22, 0xE0, 0x80, 0xAF, 0x22],  // overlong 3-byte
        [0x22, 0xED, 0xA0, 0x80, 0x22],  // UTF-8 encoded surrogate
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
        [0x22, 0xFF, 0x22],
        [0x22, 0x80, 0x22],  // lone continuation byte
        [0x22, 0xE2, 0x82, 0x22],  // truncated 3-byte
    ])
    func rejectsInvalidUTF8(bytes: [UInt8]) {
        #expect(throws: JSONError(message: "invalid UTF-8", offset: 1, line: 1, column: 2)) {
            try JSONParser.parse(bytes)
        }
    }

    @Test func rejectsNonASCIIOutsideStrings() {
        #expect(throws: JSONError.self) { try JSONParser.parse([0xEF, 0xBB, 0xBF, 0x31]) }
    }

    @Test func boundsNesting() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONParser.parse(ok) }
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONError.self) { try JSONParser.parse(deep) }
        let deepObjects = String(repeating: #"{"a":"#, count: 3) + "1" + String(repeating: "}", count: 3)
        #expect(throws: JSONError.self) { try JSONParser.parse(deepObjects, maxDepth: 2) }
        #expect(throws: Never.self) { try JSONParser.parse(deepObjects, maxDepth: 3) }
        // Far past any stack limit: must fail cleanly, not crash.
        let hostile = String(repeating: "[", count: 100_000)
        #expect(throws: JSONError.self) { try JSONParser.parse(hostile) }
    }

    @Test func detectsDuplicatesInLargeObjects() {
        let members = (0..<40).map { #""k\#($0)":\#($0)"# }
        let unique = "{" + members.joined(separator: ",") + "}"
        #expect(throws: Never.self) { try JSONParser.parse(unique) }
        let duplicated = "{" + (members + [#""k3":0"#]).joined(separator: ",") + "}"
        #expect(throws: JSONError.self) { try JSONParser.parse(duplicated) }
    }

    @Test func reportsLineAndColumn() {
        #expect(throws: JSONError(message: "unexpected character", offset: 11, line: 3, column: 4)) {
            try JSONParser.parse("{\n \"a\":\n   x}")
        }
    }

    @Test func parsesFromRawBuffer() throws {
        let bytes = Array(#"{"k":"v"}"#.utf8)
        let value = try bytes.withUnsafeBytes { raw throws(JSONError) in try JSONParser.parse(raw) }
        #expect(value == ["k": "v"])
    }
}
