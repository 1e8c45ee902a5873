import Testing

@testable import JWT

/// Runs Wycheproof vectors through the gateway's own KeyLoader and CryptoContext. Every "valid" case must be
/// accepted, every "invalid" rejected, and each "acceptable" one decided on purpose (see Resources/wycheproof/DECISIONS.md).
struct WycheproofTests {
    struct SignatureFile: Sendable, CustomTestStringConvertible {
        let name: String
        let algorithm: Algorithm
        let expected: Wycheproof.Tally
        var testDescription: String { name }
    }

    static let signatureFiles: [SignatureFile] = [
        .init(name: "rsa_signature_2048_sha256_test", algorithm: .RS256, expected: .init(valid: 9, invalid: 249, acceptable: 1)),
        .init(name: "rsa_signature_2048_sha384_test", algorithm: .RS384, expected: .init(valid: 7, invalid: 250, acceptable: 1)),
        .init(name: "rsa_signature_2048_sha512_test", algorithm: .RS512, expected: .init(valid: 8, invalid: 250, acceptable: 1)),
        .init(name: "rsa_pss_2048_sha256_mgf1_32_test", algorithm: .PS256, expected: .init(valid: 63, invalid: 45)),
        .init(name: "ecdsa_secp256r1_sha256_p1363_test", algorithm: .ES256, expected: .init(valid: 173, invalid: 89)),
        .init(name: "ecdsa_secp384r1_sha384_p1363_test", algorithm: .ES384, expected: .init(valid: 193, invalid: 87)),
        .init(name: "ecdsa_secp521r1_sha512_p1363_test", algorithm: .ES512, expected: .init(valid: 231, invalid: 87)),
        .init(name: "ed25519_test", algorithm: .EdDSA, expected: .init(valid: 88, invalid: 63)),
    ]

    /// The decision for each "acceptable" flag; a case whose flags are not all listed fails the test.
    /// MissingNull (PKCS#1 v1.5 DigestInfo without the NULL parameter): rejected. RFC 8017 §9.2 defines one
    /// encoding, JWT issuers never omit the NULL, and OpenSSL compares the re-encoded DigestInfo exactly.
    static let acceptableDecisions: [String: Bool] = ["MissingNull": false]

    @Test(arguments: signatureFiles)
    func signatureVectors(_ file: SignatureFile) throws {
        let vectors = try Wycheproof.File<Wycheproof.SignatureGroup>.load(file.name)
        let context = CryptoContext()
        var tally = Wycheproof.Tally()
        var wrong: [String] = []
        for group in vectors.testGroups {
            try Self.checkGroupParameters(group, file.algorithm)
            let keys = try Self.keys(group, file.algorithm)
            for test in group.tests {
                tally.count(test.result)
                let expected = try Self.expectedAcceptance(test)
                let message = try CryptoFixtures.hex(test.msg)
                let signature = try CryptoFixtures.hex(test.sig)
                for (form, key) in keys where CryptoFixtures.verify(key, message, signature, in: context) != expected {
                    wrong.append("tcId \(test.tcId) [\(form)] \(test.result) \(test.comment)")
                }
            }
        }
        #expect(wrong.isEmpty, "\(file.name): \(wrong.count) wrong: \(wrong.prefix(20))")
        #expect(tally == file.expected)
        #expect(tally.total == vectors.numberOfTests)
    }

    /// The same group key loaded two ways (PEM and JWK or raw bytes), so both loader paths meet every vector.
    static func keys(_ group: Wycheproof.SignatureGroup, _ algorithm: Algorithm) throws -> [(String, VerificationKey)] {
        let pem = try KeyLoader.publicKeyPEM(Array(group.publicKeyPem.utf8), algorithm: algorithm, kid: nil)
        let second: VerificationKey
        switch algorithm.family {
        case .rsaPKCS1, .rsaPSS:
            let jwk = try #require(group.publicKeyJwk ?? group.keyJwk, "RSA group without JWK")
            second = try KeyLoader.rsaPublic(
                n: try CryptoFixtures.base64URL(try #require(jwk.n)), e: try CryptoFixtures.base64URL(try #require(jwk.e)),
                algorithm: algorithm, kid: nil)
        case .ecdsa:
            // Some edge-case groups have no JWK; their hex coordinates are then fitted to the JWK's fixed width.
            let curve = try #require(algorithm.curve)
            let raw = try #require(group.publicKey)
            let x = try fixedWidth(try CryptoFixtures.hex(try #require(raw.wx)), curve.coordinateSize)
            let y = try fixedWidth(try CryptoFixtures.hex(try #require(raw.wy)), curve.coordinateSize)
            if let jwk = group.publicKeyJwk {
                #expect(try CryptoFixtures.base64URL(try #require(jwk.x)) == x)
                #expect(try CryptoFixtures.base64URL(try #require(jwk.y)) == y)
            }
            let name = algorithm == .ES256 ? "P-256" : algorithm == .ES384 ? "P-384" : "P-521"
            second = try KeyLoader.ecPublic(curve: name, x: x, y: y, algorithm: algorithm, kid: nil)
        case .eddsa:
            let raw = try CryptoFixtures.hex(try #require(group.publicKey?.pk))
            if let jwk = group.publicKeyJwk {
                #expect(try CryptoFixtures.base64URL(try #require(jwk.x)) == raw)
            }
            second = try KeyLoader.ed25519Public(x: raw, kid: nil)
        case .hmac:
            throw KeyError("HMAC vectors are not signature groups")
        }
        return [("PEM", pem), ("JWK/raw", second)]
    }

    static func fixedWidth(_ bytes: [UInt8], _ width: Int) throws -> [UInt8] {
        let significant = Array(bytes.drop { $0 == 0 })
        try #require(significant.count <= width)
        return [UInt8](repeating: 0, count: width - significant.count) + significant
    }

    /// The file must test what the algorithm means in JWS, or passing it proves nothing.
    static func checkGroupParameters(_ group: Wycheproof.SignatureGroup, _ algorithm: Algorithm) throws {
        if let sha = group.sha, let digest = algorithm.digest {
            #expect(sha == "SHA-\(digest.length * 8)")
        }
        if algorithm.family == .rsaPSS {
            #expect(group.mgfSha == group.sha)
            #expect(group.sLen == algorithm.digest?.length)
        }
    }

    static func expectedAcceptance(_ test: Wycheproof.SignatureCase) throws -> Bool {
        switch test.result {
        case .valid: return true
        case .invalid: return false
        case .acceptable:
            let decisions = test.flags.compactMap { acceptableDecisions[$0] }
            try #require(decisions.count == test.flags.count, "undecided acceptable case tcId \(test.tcId) \(test.flags)")
            return !decisions.contains(false)
        }
    }
}
