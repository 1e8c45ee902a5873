import Testing
@testable import Store

@Test func phcEncodesInPHCFormatWithoutPadding() {
    let phc = PHCString(
        parameters: ScryptParameters(logN: 15, r: 8, p: 1), salt: Array(0..<16), hash: Array(repeating: 0xff, count: 32))
    #expect(phc.encoded == "$scrypt$ln=15,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$//////////////////////////////////////////8")
}

@Test(arguments: [8, 16, 17, 18, 33, 64])
func phcRoundTrips(saltLength: Int) throws {
    let phc = PHCString(
        parameters: ScryptParameters(logN: 17, r: 16, p: 2), salt: (0..<saltLength).map { UInt8($0 * 7 & 0xff) },
        hash: (0..<32).map { UInt8(255 - $0) })
    let parsed = try #require(PHCString(parsing: phc.encoded))
    #expect(parsed == phc)
    #expect(parsed.encoded == phc.encoded)
}

let validSalt = "AAECAwQFBgcICQoLDA0ODw"
let validHash = "//////////////////////////////////////////8"

@Test(arguments: [
    "",
    "$",
    "scrypt$ln=15,r=8,p=1$\(validSalt)$\(validHash)",  // no leading $
    "$argon2id$ln=15,r=8,p=1$\(validSalt)$\(validHash)",  // other algorithm
    "$scrypt$ln=15,r=8$\(validSalt)$\(validHash)",  // missing p
    "$scrypt$r=8,ln=15,p=1$\(validSalt)$\(validHash)",  // fields out of order
    "$scrypt$ln=15,r=8,p=1,x=1$\(validSalt)$\(validHash)",  // extra field
    "$scrypt$ln=015,r=8,p=1$\(validSalt)$\(validHash)",  // leading zero
    "$scrypt$ln=,r=8,p=1$\(validSalt)$\(validHash)",  // empty number
    "$scrypt$ln=-1,r=8,p=1$\(validSalt)$\(validHash)",  // sign
    "$scrypt$ln=0,r=8,p=1$\(validSalt)$\(validHash)",  // N = 1
    "$scrypt$ln=21,r=8,p=1$\(validSalt)$\(validHash)",  // above the memory cap
    "$scrypt$ln=15,r=33,p=1$\(validSalt)$\(validHash)",
    "$scrypt$ln=15,r=8,p=17$\(validSalt)$\(validHash)",
    "$scrypt$ln=99999999999999999999,r=8,p=1$\(validSalt)$\(validHash)",  // overflow
    "$scrypt$ln=15,r=8,p=1$\(validSalt)==$\(validHash)",  // padding
    "$scrypt$ln=15,r=8,p=1$\(validSalt)$\(validHash)=",
    "$scrypt$ln=15,r=8,p=1$AAECAwQFBgcICQoLDA0OD-$\(validHash)",  // base64url character
    "$scrypt$ln=15,r=8,p=1$AAECAwQFBgcICQoLDA0ODx$\(validHash)",  // non-zero trailing bits
    "$scrypt$ln=15,r=8,p=1$AAECAwQFBgcICQoLDA0OD$\(validHash)",  // length 1 mod 4
    "$scrypt$ln=15,r=8,p=1$AAECAw$\(validHash)",  // salt too short
    "$scrypt$ln=15,r=8,p=1$\(validSalt)$AAECAw",  // hash too short
    "$scrypt$ln=15,r=8,p=1$\(validSalt)$\(validHash)$",  // trailing field
    "$scrypt$ln=15,r=8,p=1$$\(validHash)",  // empty salt
    "$scrypt$ln=15, r=8,p=1$\(validSalt)$\(validHash)",  // whitespace
    "$scrypt$ln=１5,r=8,p=1$\(validSalt)$\(validHash)",  // non-ASCII digit
])
func malformedPHCStringsAreRejected(_ text: String) {
    #expect(PHCString(parsing: text) == nil)
}

@Test func theValidBaselineOfTheMalformedTableParses() {
    #expect(PHCString(parsing: "$scrypt$ln=15,r=8,p=1$\(validSalt)$\(validHash)") != nil)
}

@Test(arguments: [[UInt8](), [0], [0, 1], [0, 1, 2], Array(0...255)])
func base64RoundTripsInBothAlphabets(_ bytes: [UInt8]) {
    for alphabet in [Base64.Alphabet.standard, .url] {
        let text = Base64.encode(bytes, alphabet)
        #expect(!text.contains("="))
        #expect(Base64.decode(Substring(text), alphabet) == bytes)
    }
}
