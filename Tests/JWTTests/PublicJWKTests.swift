import JSON
import Testing

@testable import JWT

struct PublicJWKTests {
    @Test(arguments: [
        (Algorithm.RS256, "RSA", nil), (.PS256, "RSA", nil), (.ES256, "EC", "P-256"), (.ES384, "EC", "P-384"),
        (.ES512, "EC", "P-521"), (.EdDSA, "OKP", "Ed25519"),
    ] as [(Algorithm, String, String?)])
    func exportedKeyParsesBackAndVerifiesTheKeysTokens(algorithm: Algorithm, kty: String, crv: String?) throws {
        let signer = try KeyGenerator.signingKey(algorithm, kid: "k-\(algorithm.rawValue)")
        let jwk = try #require(try signer.publicJWK())
        #expect(jwk["kty"] == .string(kty))
        #expect(jwk["crv"] == crv.map { .string($0) })
        #expect(jwk["kid"] == .string("k-\(algorithm.rawValue)"))
        #expect(jwk["alg"] == .string(algorithm.rawValue))
        #expect(jwk["use"] == "sig")
        for member in ["d", "p", "q", "dp", "dq", "qi", "k"] { #expect(jwk[member] == nil) }

        var document: [UInt8] = []
        let set: JSONValue = ["keys": .array([.object(jwk)])]
        JSONWriter.serialize(set, to: &document)
        let keys = try JWKS.parse(document)
        #expect(keys.count == 1)
        #expect(keys.first?.algorithm == algorithm)
        #expect(keys.first?.kid == "k-\(algorithm.rawValue)")

        let token = try TokenSigner.sign(claims: Fixtures.claims(), key: signer)
        let verified = try Fixtures.verifier(Fixtures.profile(keys: keys)).verify(token, now: Fixtures.now).get()
        #expect(verified.subject == "alice")
        // A different key of the same type must not verify it: the JWK carries this key, not a fixed one.
        let other = try KeyGenerator.signingKey(algorithm, kid: "k-\(algorithm.rawValue)")
        let otherToken = try TokenSigner.sign(claims: Fixtures.claims(), key: other)
        #expect(Fixtures.verifier(Fixtures.profile(keys: keys)).verify(otherToken, now: Fixtures.now).error == .badSignature)
    }

    @Test(arguments: [(Algorithm.ES256, 32), (.ES384, 48), (.ES512, 66)])
    func ecCoordinatesHaveTheCurvesFixedLength(algorithm: Algorithm, size: Int) throws {
        // Several keys, so a coordinate with a leading zero byte (1 in 256 per coordinate) is likely among them.
        for _ in 0..<8 {
            let jwk = try #require(try KeyGenerator.signingKey(algorithm).publicJWK())
            let x = try #require(jwk["x"]?.stringValue.flatMap { Base64URL.decode($0) })
            let y = try #require(jwk["y"]?.stringValue.flatMap { Base64URL.decode($0) })
            #expect(x.count == size)
            #expect(y.count == size)
        }
    }

    @Test func keyWithoutKidHasNoKidMember() throws {
        let jwk = try #require(try KeyGenerator.signingKey(.EdDSA).publicJWK())
        #expect(jwk["kid"] == nil)
        #expect(jwk.members.map(\.key) == ["kty", "crv", "x", "alg", "use"])
    }

    @Test(arguments: [Algorithm.HS256, .HS512])
    func hmacKeysAreNeverPublished(algorithm: Algorithm) throws {
        #expect(try KeyGenerator.signingKey(algorithm, kid: "secret").publicJWK() == nil)
    }
}
