import Testing

@testable import JSON

struct JSONWriterTests {
    @Test(arguments: [
        ("plain", #""plain""#),
        ("q\"b\\", #""q\"b\\""#),
        ("a\nb\rc\td", #""a\nb\rc\td""#),
        ("\u{0}\u{1F}\u{7F}", #""\u0000\u001f"# + "\u{7F}\""),
        ("é中😀/", "\"é中😀/\""),
    ])
    func escapesStrings(input: String, expected: String) throws {
        var bytes: [UInt8] = []
        JSONWriter.appendString(input, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
        var text = "x="
        JSONWriter.appendString(input[...], into: &text)
        #expect(text == "x=" + expected)
        #expect(try JSONParser.parse(bytes) == .string(input))
    }

    @Test func serializesCompactlyInMemberOrder() throws {
        let source = #"{"b":[1,2.50,true,null],"a":{"k":"v\n"},"e":{},"f":[]}"#
        let value = try JSONParser.parse(source)
        #expect(JSONWriter.serialize(value) == source)
    }

    @Test func roundTripsParsedDocuments() throws {
        let source = #" { "x" : [ -1e5 , "\u00e9\ud83d\ude00" , { "y" : false } ] } "#
        let value = try JSONParser.parse(source)
        #expect(try JSONParser.parse(JSONWriter.serialize(value)) == value)
    }
}
