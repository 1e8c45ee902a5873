import COpenSSL
import Testing

@testable import JWT

/// Signatures that must fail: malformed ECDSA scalars and encodings, cross-algorithm reuse, truncated MACs.
struct CryptoSignatureRejectionTests {
    static let message = Array("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJib2IifQ".utf8)

    /// Group orders n of P-256, P-384, P-521 (SEC 2 / FIPS 186-4), written out independently of OpenSSL.
    static let orders: [Algorithm: String] = [
        .ES256: "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
        .ES384: "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
        .ES512: "01" + String(repeating: "ff", count: 32)
            + "fa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
    ]

    static func ecKeys(_ algorithm: Algorithm) throws -> (SigningKey, VerificationKey) {
        let (signer, verifiers) = try CryptoRoundTripTests.keys(algorithm)
        return (signer, try #require(verifiers.first))
    }

    @Test(arguments: [Algorithm.ES256, .ES384, .ES512])
    func ecdsaOutOfRangeScalarsAreRejected(_ algorithm: Algorithm) throws {
        let (signer, key) = try Self.ecKeys(algorithm)
        let valid = try signer.sign(Self.message)
        let size = valid.count / 2
        let order = try CryptoFixtures.hex(try #require(Self.orders[algorithm]))
        try #require(order.count == size)
        let r = Array(valid[..<size])
        let s = Array(valid[size...])
        let zero = [UInt8](repeating: 0, count: size)
        let orderPlusOne = Self.addingOne(order)
        let context = CryptoContext()
        // CVE-2022-21449: r = s = 0 verified against anything in Java's ECDSA.
        let forged: [(String, [UInt8])] = [
            ("r = s = 0", zero + zero),
            ("r = 0", zero + s),
            ("s = 0", r + zero),
            ("s = n", r + order),
            ("r = n", order + s),
            ("r = s = n", order + order),
            ("s = n + 1", r + orderPlusOne),
            ("s = all ones", r + [UInt8](repeating: 0xff, count: size)),
        ]
        for (name, signature) in forged {
            #expect(!CryptoFixtures.verify(key, Self.message, signature, in: context), "\(name)")
            #expect(ERR_peek_error() == 0)
        }
        #expect(CryptoFixtures.verify(key, Self.message, valid, in: context))
    }

    @Test(arguments: [Algorithm.ES256, .ES384, .ES512])
    func ecdsaAcceptsOnlyTheExactRawLength(_ algorithm: Algorithm) throws {
        let (signer, key) = try Self.ecKeys(algorithm)
        let valid = try signer.sign(Self.message)
        let context = CryptoContext()
        let wrong: [[UInt8]] = [
            [], Array(valid.dropLast()), valid + [0], [0] + valid, Array(valid.prefix(valid.count / 2)),
            CryptoFixtures.der(fromRaw: valid), valid + valid,
        ]
        for signature in wrong {
            #expect(!CryptoFixtures.verify(key, Self.message, signature, in: context), "length \(signature.count)")
        }
    }

    @Test func rs256SignatureDoesNotVerifyUnderPS256AndViceVersa() throws {
        let (rsSigner, rsKeys) = try CryptoRoundTripTests.keys(.RS256)
        let (psSigner, psKeys) = try CryptoRoundTripTests.keys(.PS256)
        let context = CryptoContext()
        let rsSignature = try rsSigner.sign(Self.message)
        let psSignature = try psSigner.sign(Self.message)
        #expect(!CryptoFixtures.verify(psKeys[0], Self.message, rsSignature, in: context))
        #expect(!CryptoFixtures.verify(rsKeys[0], Self.message, psSignature, in: context))
        #expect(CryptoFixtures.verify(rsKeys[0], Self.message, rsSignature, in: context))
        #expect(CryptoFixtures.verify(psKeys[0], Self.message, psSignature, in: context))
    }

    @Test func rsaHashIsPinnedByTheKey() throws {
        let (signer, _) = try CryptoRoundTripTests.keys(.RS384)
        let (_, rs256Keys) = try CryptoRoundTripTests.keys(.RS256)
        let (_, rs512Keys) = try CryptoRoundTripTests.keys(.RS512)
        let signature = try signer.sign(Self.message)
        let context = CryptoContext()
        #expect(!CryptoFixtures.verify(rs256Keys[0], Self.message, signature, in: context))
        #expect(!CryptoFixtures.verify(rs512Keys[0], Self.message, signature, in: context))
    }

    @Test func rsaSignatureOfWrongLengthIsRejected() throws {
        let (signer, keys) = try CryptoRoundTripTests.keys(.RS256)
        let signature = try signer.sign(Self.message)
        let context = CryptoContext()
        #expect(!CryptoFixtures.verify(keys[0], Self.message, [0] + signature, in: context))
        #expect(!CryptoFixtures.verify(keys[0], Self.message, Array(signature.dropFirst()), in: context))
        #expect(!CryptoFixtures.verify(keys[0], Self.message, [UInt8](repeating: 0, count: 256), in: context))
    }

    @Test(arguments: [Algorithm.HS256, .HS384, .HS512])
    func hmacTagMustBeFullLength(_ algorithm: Algorithm) throws {
        let (signer, keys) = try CryptoRoundTripTests.keys(algorithm)
        let tag = try signer.sign(Self.message)
        let context = CryptoContext()
        for wrong in [[], Array(tag.prefix(16)), Array(tag.dropLast()), tag + [0], tag + tag] {
            #expect(!CryptoFixtures.verify(keys[0], Self.message, wrong, in: context), "length \(wrong.count)")
        }
        #expect(CryptoFixtures.verify(keys[0], Self.message, tag, in: context))
    }

    @Test func hmacKeyOfOtherHashRejectsTheTag() throws {
        let secret = CryptoRoundTripTests.secret
        let tag = try KeyLoader.hmacSigningKey(secret, algorithm: .HS512, kid: nil).sign(Self.message)
        let hs256 = try KeyLoader.hmacSecret(secret, algorithm: .HS256, kid: nil)
        #expect(!CryptoFixtures.verify(hs256, Self.message, Array(tag.prefix(32)), in: CryptoContext()))
    }

    @Test func ed25519RejectsWrongLengthAndOtherKeys() throws {
        let (signer, keys) = try CryptoRoundTripTests.keys(.EdDSA)
        let signature = try signer.sign(Self.message)
        let other = try KeyLoader.ed25519Public(
            x: try CryptoFixtures.hex("7d4d0e7f6153a69b6242b522abbee685fda4420f8834b108c3bdae369ef549fa"), kid: nil)
        let context = CryptoContext()
        #expect(!CryptoFixtures.verify(keys[0], Self.message, Array(signature.dropLast()), in: context))
        #expect(!CryptoFixtures.verify(keys[0], Self.message, signature + [0], in: context))
        #expect(!CryptoFixtures.verify(other, Self.message, signature, in: context))
        #expect(ERR_peek_error() == 0)
    }

    static func addingOne(_ number: [UInt8]) -> [UInt8] {
        var result = number
        for index in result.indices.reversed() {
            result[index] &+= 1
            if result[index] != 0 { break }
        }
        return result
    }
}
