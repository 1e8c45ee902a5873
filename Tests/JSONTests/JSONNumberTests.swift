import Testing

@testable import JSON

struct JSONNumberTests {
    @Test(arguments: [
        ("0", 0.0, Int64(0) as Int64?),
        ("-0", 0.0, 0),
        ("1700000000", 1_700_000_000, 1_700_000_000),
        ("9223372036854775807", 0x1p63, Int64.max),
        ("9223372036854775808", 0x1p63, nil),
        ("1.5", 1.5, nil),
        ("1.0", 1, 1),
        ("1.7e9", 1_700_000_000, 1_700_000_000),
        ("1e20", 1e20, nil),
        ("-2E-2", -0.02, nil),
    ])
    func readsNumbers(text: String, double: Double, int64: Int64?) throws {
        let number = try #require(try JSONParser.parse(text).numberValue)
        #expect(number.text == text)
        #expect(number.double == double)
        #expect(number.int64 == int64)
    }

    @Test func comparesByValue() throws {
        #expect(try JSONParser.parse("1.0") == JSONParser.parse("1"))
        #expect(try JSONParser.parse("1e2") == JSONParser.parse("100"))
        #expect(try JSONParser.parse("9007199254740993") != JSONParser.parse("9007199254740992"))
        #expect(try JSONParser.parse("0.5") != JSONParser.parse("0.25"))
    }

    @Test func buildsFromSwiftValues() throws {
        #expect(JSONNumber(42).text == "42")
        #expect(JSONNumber(Double.nan) == nil)
        #expect(JSONNumber(Double.infinity) == nil)
        let half = try #require(JSONNumber(0.5))
        #expect(half.text == "0.5")
        #expect(half.int64 == nil)
        #expect(JSONNumber(3.0)?.text == "3")
    }
}
