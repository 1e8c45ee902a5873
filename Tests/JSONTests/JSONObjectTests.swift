import Testing

@testable import JSON

struct JSONObjectTests {
    @Test func equalityIgnoresMemberOrder() throws {
        let a = try JSONParser.parse(#"{"x":1,"y":[true]}"#)
        let b = try JSONParser.parse(#"{"y":[true],"x":1}"#)
        #expect(a == b)
        #expect(a != (try JSONParser.parse(#"{"x":1,"y":[false]}"#)))
        #expect(a != (try JSONParser.parse(#"{"x":1}"#)))
        #expect(a != (try JSONParser.parse(#"{"x":1,"z":[true]}"#)))
    }

    @Test func subscriptSetReplacesAppendsAndRemoves() {
        var object = JSONObject()
        object["a"] = 1
        object["b"] = "two"
        object["a"] = 3
        #expect(object.members.map(\.key) == ["a", "b"])
        #expect(object["a"] == 3)
        object["a"] = nil
        #expect(object.members.map(\.key) == ["b"])
        object["zzz"] = nil
        #expect(object.count == 1)
    }

    @Test func accessorsMatchCases() {
        let value: JSONValue = ["s": "x", "n": 1, "b": false, "a": [], "o": [:], "z": nil]
        let object = value.objectValue
        #expect(object?["s"]?.stringValue == "x")
        #expect(object?["n"]?.numberValue?.int64 == 1)
        #expect(object?["b"]?.boolValue == false)
        #expect(object?["a"]?.arrayValue == [])
        #expect(object?["o"]?.objectValue == JSONObject())
        #expect(object?["z"]?.isNull == true)
        #expect(object?["s"]?.numberValue == nil)
        #expect(object?["n"]?.stringValue == nil)
    }
}
