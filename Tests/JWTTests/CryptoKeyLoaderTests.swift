import COpenSSL
import Foundation
import Testing

@testable import JWT

/// Key loading: each key type is bound to its algorithm family, weak keys and malformed input are refused.
struct CryptoKeyLoaderTests {
    static let rsaAlgorithms: [Algorithm] = [.RS256, .RS384, .RS512, .PS256, .PS384, .PS512]

    static func loadPublic(_ name: String, _ algorithm: Algorithm) throws -> VerificationKey {
        try KeyLoader.publicKeyPEM(try CryptoFixtures.keyPEM(name), algorithm: algorithm, kid: nil)
    }

    static func expectKeyError(_ body: () throws -> Any) {
        #expect(throws: KeyError.self) { _ = try body() }
        // A failed load must not leave errors behind for the next OpenSSL call on this thread.
        #expect(ERR_peek_error() == 0)
    }

    struct Mismatch: Sendable, CustomTestStringConvertible {
        let file: String
        let algorithm: Algorithm
        var testDescription: String { "\(file) as \(algorithm)" }
    }

    static let mismatches: [Mismatch] = [
        .init(file: "rsa2048-public", algorithm: .ES256),
        .init(file: "rsa2048-public", algorithm: .HS256),
        .init(file: "rsa2048-public", algorithm: .EdDSA),
        .init(file: "ec-p256-public", algorithm: .ES384),
        .init(file: "ec-p256-public", algorithm: .ES512),
        .init(file: "ec-p384-public", algorithm: .ES256),
        .init(file: "ec-p521-public", algorithm: .ES384),
        .init(file: "ec-p256-public", algorithm: .RS256),
        .init(file: "ec-p256-public", algorithm: .HS256),
        .init(file: "ed25519-public", algorithm: .ES256),
        .init(file: "ed25519-public", algorithm: .PS256),
        .init(file: "ed25519-public", algorithm: .HS512),
        .init(file: "ed448-public", algorithm: .EdDSA),
        .init(file: "rsa1024-public", algorithm: .RS256),
        .init(file: "rsa1024-public", algorithm: .PS256),
    ]

    @Test(arguments: mismatches)
    func publicKeyOfWrongFamilyCurveOrSizeIsRefused(_ case_: Mismatch) {
        Self.expectKeyError { try Self.loadPublic(case_.file, case_.algorithm) }
    }

    @Test func rsa1024IsRefusedWithReason() throws {
        let error = try #require(throws: KeyError.self) { try Self.loadPublic("rsa1024-public", .RS256) }
        #expect(error.message.contains("1024"))
    }

    @Test(arguments: [
        ("rsa2048-private", Algorithm.ES256), ("ec-p256-private", .ES384), ("ec-p384-private", .RS256),
        ("ed25519-private", .ES512), ("rsa2048-private", .HS256),
    ])
    func privateKeyOfWrongFamilyIsRefused(_ file: String, _ algorithm: Algorithm) {
        Self.expectKeyError { try KeyLoader.privateKeyPEM(try CryptoFixtures.keyPEM(file), algorithm: algorithm, kid: nil) }
    }

    @Test(arguments: [(Algorithm.HS256, 32), (.HS384, 48), (.HS512, 64)])
    func hmacSecretMustBeAtLeastTheHashSize(_ algorithm: Algorithm, _ minimum: Int) throws {
        let short = [UInt8](repeating: 0x61, count: minimum - 1)
        Self.expectKeyError { try KeyLoader.hmacSecret(short, algorithm: algorithm, kid: nil) }
        Self.expectKeyError { try KeyLoader.hmacSigningKey(short, algorithm: algorithm, kid: nil) }
        let enough = [UInt8](repeating: 0x61, count: minimum)
        #expect(try KeyLoader.hmacSecret(enough, algorithm: algorithm, kid: "h").algorithm == algorithm)
    }

    @Test func hmacSecretOf31BytesIsRefused() {
        Self.expectKeyError { try KeyLoader.hmacSecret([UInt8](repeating: 7, count: 31), algorithm: .HS256, kid: nil) }
    }

    @Test(arguments: [Algorithm.RS256, .PS256, .ES256, .EdDSA])
    func asymmetricAlgorithmNeverTakesASecret(_ algorithm: Algorithm) {
        let secret = [UInt8](repeating: 1, count: 64)
        Self.expectKeyError { try KeyLoader.hmacSecret(secret, algorithm: algorithm, kid: nil) }
        Self.expectKeyError { try KeyLoader.hmacSigningKey(secret, algorithm: algorithm, kid: nil) }
    }

    @Test func rsaPublicKeyFormsAllVerify() throws {
        let signer = try KeyLoader.privateKeyPEM(try CryptoFixtures.keyPEM("rsa2048-private"), algorithm: .RS256, kid: nil)
        let message = Array("header.payload".utf8)
        let signature = try signer.sign(message)
        let context = CryptoContext()
        for file in ["rsa2048-public", "rsa2048-public-pkcs1", "rsa2048-cert"] {
            let key = try Self.loadPublic(file, .RS256)
            #expect(CryptoFixtures.verify(key, message, signature, in: context), "\(file)")
        }
    }

    @Test(arguments: [("rsa2048-private-pkcs1", "rsa2048-public", Algorithm.RS512), ("ec-p256-private-sec1", "ec-p256-public", .ES256)])
    func traditionalPrivateKeyFormsSign(_ privateFile: String, _ publicFile: String, _ algorithm: Algorithm) throws {
        let signer = try KeyLoader.privateKeyPEM(try CryptoFixtures.keyPEM(privateFile), algorithm: algorithm, kid: nil)
        let key = try Self.loadPublic(publicFile, algorithm)
        let message = Array("a.b".utf8)
        #expect(CryptoFixtures.verify(key, message, try signer.sign(message), in: CryptoContext()))
    }

    @Test func rejectsMalformedPEM() throws {
        let publicPEM = try CryptoFixtures.keyPEM("rsa2048-public")
        let text = String(decoding: publicPEM, as: UTF8.self)
        let inputs: [[UInt8]] = [
            [],
            Array("not a key".utf8),
            Array(text.replacingOccurrences(of: "MIIB", with: "MIIC").utf8),
            Array(publicPEM.prefix(publicPEM.count / 2)),
            try CryptoFixtures.keyPEM("rsa2048-private"),
            Self.pem(label: "ENCRYPTED PRIVATE KEY", der: [0x30, 0x00]),
            Self.pem(label: "PUBLIC KEY", der: try Self.der(of: publicPEM) + [0x00]),
        ]
        for input in inputs {
            Self.expectKeyError { try KeyLoader.publicKeyPEM(input, algorithm: .RS256, kid: nil) }
        }
        Self.expectKeyError { try KeyLoader.privateKeyPEM(publicPEM, algorithm: .RS256, kid: nil) }
        let encrypted = Self.pem(label: "ENCRYPTED PRIVATE KEY", der: [0x30, 0x00])
        let error = try #require(throws: KeyError.self) { try KeyLoader.privateKeyPEM(encrypted, algorithm: .RS256, kid: nil) }
        #expect(error.message.contains("encrypted"))
    }

    @Test func rsaJWKMatchesPEMAndEnforcesPolicy() throws {
        let (n, e) = try Self.rsaModulusAndExponent()
        let key = try KeyLoader.rsaPublic(n: n, e: e, algorithm: .PS384, kid: "jwk")
        let signer = try KeyLoader.privateKeyPEM(try CryptoFixtures.keyPEM("rsa2048-private"), algorithm: .PS384, kid: nil)
        let message = Array("x.y".utf8)
        #expect(CryptoFixtures.verify(key, message, try signer.sign(message), in: CryptoContext()))

        // e = 1 would make a padded message its own signature; e = 2 is not RSA.
        Self.expectKeyError { try KeyLoader.rsaPublic(n: n, e: [1], algorithm: .RS256, kid: nil) }
        Self.expectKeyError { try KeyLoader.rsaPublic(n: n, e: [2], algorithm: .RS256, kid: nil) }
        Self.expectKeyError { try KeyLoader.rsaPublic(n: Array(n.prefix(128)), e: e, algorithm: .RS256, kid: nil) }
        Self.expectKeyError { try KeyLoader.rsaPublic(n: [], e: e, algorithm: .RS256, kid: nil) }
        Self.expectKeyError { try KeyLoader.rsaPublic(n: n, e: e, algorithm: .ES256, kid: nil) }
        Self.expectKeyError { try KeyLoader.rsaPublic(n: n, e: e, algorithm: .HS256, kid: nil) }
    }

    @Test func ecJWKChecksCurveLengthAndPoint() throws {
        // The Wycheproof P-256 key (RFC 7517 JWK coordinates).
        let x = try CryptoFixtures.base64URL("KSexBRK64-3c_kZ4KBKLrSkDJpkZ9whgacjE32xzKDg")
        let y = try CryptoFixtures.base64URL("x3h5ZOqsAOWSH7FJimD0YGdms9loUAFVjRqXTnNBUT4")
        #expect(try KeyLoader.ecPublic(curve: "P-256", x: x, y: y, algorithm: .ES256, kid: nil).algorithm == .ES256)
        Self.expectKeyError { try KeyLoader.ecPublic(curve: "P-256", x: x, y: y, algorithm: .ES384, kid: nil) }
        Self.expectKeyError { try KeyLoader.ecPublic(curve: "P-384", x: x, y: y, algorithm: .ES384, kid: nil) }
        Self.expectKeyError { try KeyLoader.ecPublic(curve: "secp256k1", x: x, y: y, algorithm: .ES256, kid: nil) }
        Self.expectKeyError { try KeyLoader.ecPublic(curve: "P-256", x: [0] + x, y: [0] + y, algorithm: .ES256, kid: nil) }
        Self.expectKeyError { try KeyLoader.ecPublic(curve: "P-256", x: Array(x.dropFirst()), y: y, algorithm: .ES256, kid: nil) }
        // A point off the curve: the invalid-curve attack shape.
        let offCurve = CryptoFixtures.flippingBit(y, at: 0)
        Self.expectKeyError { try KeyLoader.ecPublic(curve: "P-256", x: x, y: offCurve, algorithm: .ES256, kid: nil) }
        Self.expectKeyError {
            try KeyLoader.ecPublic(curve: "P-256", x: [UInt8](repeating: 0, count: 32), y: [UInt8](repeating: 0, count: 32),
                algorithm: .ES256, kid: nil)
        }
    }

    @Test func ed25519RawKeyNeedsExactly32Bytes() throws {
        let x = try CryptoFixtures.hex("7d4d0e7f6153a69b6242b522abbee685fda4420f8834b108c3bdae369ef549fa")
        let key = try KeyLoader.ed25519Public(x: x, kid: "ed")
        #expect(key.algorithm == .EdDSA && key.kid == "ed")
        Self.expectKeyError { try KeyLoader.ed25519Public(x: Array(x.dropLast()), kid: nil) }
        Self.expectKeyError { try KeyLoader.ed25519Public(x: x + [0], kid: nil) }
    }

    @Test func errorMessagesCarryNoKeyMaterial() throws {
        let secret = Array("s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3c".utf8)
        let error = try #require(throws: KeyError.self) { try KeyLoader.hmacSecret(secret, algorithm: .HS256, kid: nil) }
        #expect(!error.message.contains("s3cr3t"))
    }

    static func pem(label: String, der: [UInt8]) -> [UInt8] {
        Array("-----BEGIN \(label)-----\n\(Data(der).base64EncodedString(options: .lineLength64Characters))\n-----END \(label)-----\n".utf8)
    }

    static func der(of pem: [UInt8]) throws -> [UInt8] {
        let body = String(decoding: pem, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        return Array(try #require(Data(base64Encoded: body)))
    }

    /// n and e of rsa2048 read with OpenSSL, the way a JWKS would carry them.
    static func rsaModulusAndExponent() throws -> ([UInt8], [UInt8]) {
        let key = try Self.loadPublic("rsa2048-public", .RS256)
        guard case .rsa(let pkey, _) = key.material else {
            Issue.record("RSA key has non-RSA material")
            return ([], [])
        }
        func read(_ name: String) throws -> [UInt8] {
            var number: OpaquePointer?
            try #require(EVP_PKEY_get_bn_param(pkey.pointer, name, &number) == 1)
            let value = try #require(number)
            defer { BN_free(value) }
            var bytes = [UInt8](repeating: 0, count: Int((BN_num_bits(value) + 7) / 8))
            _ = BN_bn2bin(value, &bytes)
            return bytes
        }
        return (try read(OSSL_PKEY_PARAM_RSA_N), try read(OSSL_PKEY_PARAM_RSA_E))
    }
}
