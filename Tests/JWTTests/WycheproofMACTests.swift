import Testing

@testable import JWT

/// Wycheproof HMAC vectors. Two policies of the gateway differ from plain HMAC and are asserted, not skipped:
/// - Truncated tags (tagSize < hash size): always rejected, since JWS compares the full MAC. For the "valid"
///   ones, the tag must still equal the prefix of our full MAC, which proves the MAC itself is right.
/// - Keys shorter than the hash (RFC 7518 §3.2): `hmacSecret` must refuse them; the MAC is then checked
///   through the test-only `hmacSecretIgnoringLengthPolicy`, which feeds the same CryptoContext path.
struct WycheproofMACTests {
    struct MACFile: Sendable, CustomTestStringConvertible {
        let name: String
        let algorithm: Algorithm
        let expected: Wycheproof.Tally
        /// Valid cases rejected by the full-length-tag policy.
        let truncatedValid: Int
        /// Full-tag cases whose key is below the RFC 7518 minimum.
        let shortKey: Int
        var testDescription: String { name }
    }

    static let files: [MACFile] = [
        .init(name: "hmac_sha256_test", algorithm: .HS256, expected: .init(valid: 66, invalid: 108), truncatedValid: 33, shortKey: 3),
        .init(name: "hmac_sha384_test", algorithm: .HS384, expected: .init(valid: 66, invalid: 108), truncatedValid: 33, shortKey: 3),
        .init(name: "hmac_sha512_test", algorithm: .HS512, expected: .init(valid: 66, invalid: 108), truncatedValid: 33, shortKey: 3),
    ]

    @Test(arguments: files)
    func macVectors(_ file: MACFile) throws {
        let vectors = try Wycheproof.File<Wycheproof.MACGroup>.load(file.name)
        let digestBits = try #require(file.algorithm.digest).length * 8
        let context = CryptoContext()
        var tally = Wycheproof.Tally()
        var truncatedValid = 0
        var shortKey = 0
        var wrong: [String] = []
        for group in vectors.testGroups {
            for test in group.tests {
                tally.count(test.result)
                try #require(test.result != .acceptable, "HMAC files have no acceptable cases")
                let secret = try CryptoFixtures.hex(test.key)
                let message = try CryptoFixtures.hex(test.msg)
                let tag = try CryptoFixtures.hex(test.tag)
                let key: VerificationKey
                if secret.count * 8 < digestBits {
                    #expect(throws: KeyError.self) { try KeyLoader.hmacSecret(secret, algorithm: file.algorithm, kid: nil) }
                    key = try KeyLoader.hmacSecretIgnoringLengthPolicy(secret, algorithm: file.algorithm, kid: nil)
                    if group.tagSize == digestBits { shortKey += 1 }
                } else {
                    key = try KeyLoader.hmacSecret(secret, algorithm: file.algorithm, kid: nil)
                }
                let accepted = CryptoFixtures.verify(key, message, tag, in: context)
                if group.tagSize < digestBits {
                    if accepted { wrong.append("tcId \(test.tcId): truncated tag accepted") }
                    if test.result == .valid {
                        truncatedValid += 1
                        let full = try SigningKey(algorithm: file.algorithm, kid: nil, material: .secret(SecretBytes(secret)))
                            .sign(message)
                        if Array(full.prefix(tag.count)) != tag { wrong.append("tcId \(test.tcId): MAC prefix differs") }
                    }
                } else if accepted != (test.result == .valid) {
                    wrong.append("tcId \(test.tcId) \(test.result) \(test.comment)")
                }
            }
        }
        #expect(wrong.isEmpty, "\(file.name): \(wrong.prefix(20))")
        #expect(tally == file.expected)
        #expect(tally.total == vectors.numberOfTests)
        #expect(truncatedValid == file.truncatedValid)
        #expect(shortKey == file.shortKey)
    }
}
