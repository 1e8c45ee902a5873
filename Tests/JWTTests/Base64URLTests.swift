import Testing

@testable import JWT

struct Base64URLTests {
    @Test(arguments: [
        ("", ""),
        ("f", "Zg"),
        ("fo", "Zm8"),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg"),
        ("fooba", "Zm9vYmE"),
        ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
        #expect(Base64URL.decode(encoded) == Array(plain.utf8))
    }

    @Test func usesURLAlphabet() {
        let bytes: [UInt8] = [0xFB, 0xFF, 0xBF]
        #expect(Base64URL.encode(bytes) == "-_-_")
        #expect(Base64URL.decode("-_-_") == bytes)
    }

    @Test(arguments: [
        "Zg==",  // padding
        "Zm8=",
        "Z",  // impossible length (len % 4 == 1)
        "Zm9vY",
        "Zh",  // non-zero trailing bits ("Zg" is canonical)
        "Zm9",  // non-zero trailing bits ("Zm8" is canonical)
        "+/+/",  // standard alphabet
        "Zm 9v",
        "Zm9v\n",
        "Zm9.",
        "Zm9vYmFy\u{0}",
    ])
    func rejectsNonCanonical(text: String) {
        #expect(Base64URL.decode(text) == nil)
    }

    @Test func decodeReusesCallerBuffer() {
        var buffer: [UInt8] = [9, 9, 9, 9, 9, 9, 9, 9]
        let ok = Array("Zm9v".utf8).withUnsafeBytes { Base64URL.decode($0, into: &buffer) }
        #expect(ok)
        #expect(buffer == Array("foo".utf8))
        let bad = Array("Zm9v!".utf8).withUnsafeBytes { Base64URL.decode($0, into: &buffer) }
        #expect(!bad)
    }

    @Test func roundTripsAllByteValues() {
        for length in 0..<70 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
    }
}
