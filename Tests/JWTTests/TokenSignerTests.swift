import JSON
import Testing

@testable import JWT

struct TokenSignerTests {
    @Test func writesAlgTypAndKidHeader() throws {
        let token = try TokenSigner.sign(claims: Fixtures.claims(), key: try Fixtures.hmacSigner(kid: "k1"))
        let header = try #require(Base64URL.decode(String(token.split(separator: ".")[0])))
        #expect(String(decoding: header, as: UTF8.self) == #"{"alg":"HS256","typ":"JWT","kid":"k1"}"#)
        let bare = try TokenSigner.sign(claims: Fixtures.claims(), key: try Fixtures.hmacSigner(), typ: nil)
        let bareHeader = try #require(Base64URL.decode(String(bare.split(separator: ".")[0])))
        #expect(String(decoding: bareHeader, as: UTF8.self) == #"{"alg":"HS256"}"#)
    }

    @Test(arguments: [
        ("rsa-private.pem", Algorithm.RS256), ("rsa-private.pem", .RS512), ("rsa-private.pem", .PS256),
        ("ec256-private.pem", .ES256), ("ed25519-private.pem", .EdDSA),
    ])
    func roundTripsAsymmetric(file: String, algorithm: Algorithm) throws {
        let signer = try KeyLoader.privateKeyPEM(Fixtures.resource(file), algorithm: algorithm, kid: "k")
        var claims = Fixtures.claims()
        claims["roles"] = ["admin", "reader"]
        let token = try TokenSigner.sign(claims: claims, key: signer)
        let verifier = Fixtures.verifier(Fixtures.profile(keys: [try signer.publicKey()]))
        let verified = try verifier.verify(token, now: Fixtures.now).get()
        #expect(verified.claims == claims)
    }
}
