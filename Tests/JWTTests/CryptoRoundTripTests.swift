import Testing

@testable import JWT

/// Sign and verify every algorithm with keys made by the `openssl` CLI (Resources/keys).
struct CryptoRoundTripTests {
    static let message = Array("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9".utf8)
    static let secret = (0..<64).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }

    /// The PEM file base name holding the key pair for an asymmetric algorithm.
    static func keyName(_ algorithm: Algorithm) -> String? {
        switch algorithm {
        case .RS256, .RS384, .RS512, .PS256, .PS384, .PS512: "rsa2048"
        case .ES256: "ec-p256"
        case .ES384: "ec-p384"
        case .ES512: "ec-p521"
        case .EdDSA: "ed25519"
        case .HS256, .HS384, .HS512: nil
        }
    }

    /// A signing key plus two verification keys: one loaded from the public PEM, one derived by `publicKey()`.
    static func keys(_ algorithm: Algorithm) throws -> (SigningKey, [VerificationKey]) {
        guard let name = keyName(algorithm) else {
            let signer = try KeyLoader.hmacSigningKey(secret, algorithm: algorithm, kid: "k1")
            return (signer, [try KeyLoader.hmacSecret(secret, algorithm: algorithm, kid: "k1"), try signer.publicKey()])
        }
        let signer = try KeyLoader.privateKeyPEM(try CryptoFixtures.keyPEM("\(name)-private"), algorithm: algorithm, kid: "k1")
        let loaded = try KeyLoader.publicKeyPEM(try CryptoFixtures.keyPEM("\(name)-public"), algorithm: algorithm, kid: "k1")
        return (signer, [loaded, try signer.publicKey()])
    }

    static func expectedSignatureLength(_ algorithm: Algorithm) -> Int {
        switch algorithm {
        case .HS256: 32
        case .HS384: 48
        case .HS512: 64
        case .RS256, .RS384, .RS512, .PS256, .PS384, .PS512: 256
        case .ES256: 64
        case .ES384: 96
        case .ES512: 132
        case .EdDSA: 64
        }
    }

    @Test(arguments: Algorithm.allCases)
    func signsAndVerifies(_ algorithm: Algorithm) throws {
        let (signer, verifiers) = try Self.keys(algorithm)
        let signature = try signer.sign(Self.message)
        #expect(signature.count == Self.expectedSignatureLength(algorithm))
        let context = CryptoContext()
        for key in verifiers {
            #expect(key.algorithm == algorithm)
            #expect(key.kid == "k1")
            // Twice, around a failure, to show the cached per-key context is reusable after success and failure.
            #expect(CryptoFixtures.verify(key, Self.message, signature, in: context))
            #expect(!CryptoFixtures.verify(key, Self.message + [0x2e], signature, in: context))
            #expect(CryptoFixtures.verify(key, Self.message, signature, in: context))
        }
    }

    @Test(arguments: Algorithm.allCases)
    func anyFlippedBitIsRejected(_ algorithm: Algorithm) throws {
        let (signer, verifiers) = try Self.keys(algorithm)
        let signature = try signer.sign(Self.message)
        let context = CryptoContext()
        let key = try #require(verifiers.first)
        for bit in [0, 7, signature.count * 4 + 3, signature.count * 8 - 1] {
            #expect(!CryptoFixtures.verify(key, Self.message, CryptoFixtures.flippingBit(signature, at: bit), in: context))
        }
        #expect(!CryptoFixtures.verify(key, CryptoFixtures.flippingBit(Self.message, at: 9), signature, in: context))
        #expect(CryptoFixtures.verify(key, Self.message, signature, in: context))
    }

    @Test(arguments: Algorithm.allCases)
    func emptyMessageRoundTrips(_ algorithm: Algorithm) throws {
        let (signer, verifiers) = try Self.keys(algorithm)
        let signature = try signer.sign([])
        let key = try #require(verifiers.first)
        #expect(CryptoFixtures.verify(key, [], signature, in: CryptoContext()))
        #expect(!CryptoFixtures.verify(key, [], [], in: CryptoContext()))
    }

    @Test func ecdsaSignaturesAreFreshButBothVerify() throws {
        let (signer, verifiers) = try Self.keys(.ES256)
        let first = try signer.sign(Self.message)
        let second = try signer.sign(Self.message)
        #expect(first != second)
        let context = CryptoContext()
        #expect(CryptoFixtures.verify(verifiers[0], Self.message, first, in: context))
        #expect(CryptoFixtures.verify(verifiers[0], Self.message, second, in: context))
    }

    @Test func contextSurvivesCacheEviction() throws {
        let context = CryptoContext()
        let keys = try (0..<(CryptoContext.maximumCachedKeys + 5)).map { index in
            try KeyLoader.hmacSigningKey(Self.secret + [UInt8(index)], algorithm: .HS256, kid: nil)
        }
        for round in 0..<2 {
            for key in keys {
                let signature = try key.sign(Self.message)
                #expect(CryptoFixtures.verify(try key.publicKey(), Self.message, signature, in: context), "round \(round)")
            }
        }
        let first = try #require(keys.first)
        let last = try #require(keys.last)
        #expect(!CryptoFixtures.verify(try last.publicKey(), Self.message, try first.sign(Self.message), in: context))
    }

    /// One VerificationKey shared by several threads, each with its own CryptoContext, as workers use them.
    @Test(arguments: [Algorithm.HS256, .RS256, .PS256, .ES256, .EdDSA])
    func sharedKeyVerifiesConcurrently(_ algorithm: Algorithm) async throws {
        let (signer, verifiers) = try Self.keys(algorithm)
        let key = try #require(verifiers.first)
        let signature = try signer.sign(Self.message)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let context = CryptoContext()
                    var allCorrect = true
                    for round in 0..<25 {
                        let tampered = round % 5 == 0
                        let message = tampered ? Self.message + [0x41] : Self.message
                        allCorrect = allCorrect && CryptoFixtures.verify(key, message, signature, in: context) != tampered
                    }
                    return allCorrect
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == [true, true, true, true])
    }
}
