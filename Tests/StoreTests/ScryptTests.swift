import Testing
@testable import Store

struct ScryptVector: Sendable, CustomTestStringConvertible {
    let password: String
    let salt: String
    let n: UInt64
    let r: UInt32
    let p: UInt32
    let hex: String
    var testDescription: String { "N=\(n) r=\(r) p=\(p) '\(password)'" }
}

/// RFC 7914 §12. The fourth vector (N=1048576, 1 GiB, several seconds) is left out to keep the suite fast; the
/// third already exercises r=8 at a realistic N.
let rfc7914Vectors = [
    ScryptVector(
        password: "", salt: "", n: 16, r: 1, p: 1,
        hex: "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
            + "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"),
    ScryptVector(
        password: "password", salt: "NaCl", n: 1024, r: 8, p: 16,
        hex: "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
            + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"),
    ScryptVector(
        password: "pleaseletmein", salt: "SodiumChloride", n: 16384, r: 8, p: 1,
        hex: "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
            + "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887"),
]

func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
}

@Test(arguments: rfc7914Vectors)
func scryptMatchesRFC7914(_ vector: ScryptVector) throws {
    let derived = try Scrypt.derive(
        password: Array(vector.password.utf8), salt: Array(vector.salt.utf8), n: vector.n, r: vector.r, p: vector.p,
        length: 64)
    #expect(hex(derived) == vector.hex)
}

@Test(arguments: [(n: UInt64(15), r: UInt32(1), p: UInt32(1)), (n: 16, r: 0, p: 1), (n: 16, r: 1, p: 0), (n: 1 << 22, r: 32, p: 1)])
func scryptRefusesInvalidOrOversizedParameters(_ n: UInt64, _ r: UInt32, _ p: UInt32) {
    #expect(throws: StoreError.self) {
        try Scrypt.derive(password: [1], salt: [2], n: n, r: r, p: p, length: 32)
    }
}
