import JSON
import Testing

@testable import JWT

struct JWKSTests {
    @Test func loadsSignatureKeysAndSkipsTheRest() throws {
        let keys = try JWKS.parse(Fixtures.resource("jwks.json"), allowedAlgorithms: [.RS256, .ES256, .EdDSA])
        #expect(keys.map(\.kid) == ["rsa-1", "ec-1", "ed-1"])
        #expect(keys.map(\.algorithm) == [.RS256, .ES256, .EdDSA])
    }

    @Test func keysWithoutAlgNeedAnAllowList() throws {
        let keys = try JWKS.parse(Fixtures.resource("jwks.json"))
        #expect(keys.map(\.kid) == ["rsa-1", "ed-1"])
        // rsa-1 declares RS256, so an allow-list without RS256 excludes it rather than re-labelling it.
        #expect(throws: KeyError("JWKS has no usable signature verification key")) {
            try JWKS.parse(Fixtures.resource("jwks.json"), allowedAlgorithms: [.PS256])
        }
        let ecOnly = try JWKS.parse(Fixtures.resource("jwks.json"), allowedAlgorithms: [.ES256])
        #expect(ecOnly.map(\.kid) == ["ec-1"])
    }

    @Test func verifiesTokensSignedByTheMatchingPrivateKeys() throws {
        let keys = try JWKS.parse(Fixtures.resource("jwks.json"), allowedAlgorithms: [.RS256, .ES256, .EdDSA])
        let verifier = Fixtures.verifier(Fixtures.profile(keys: keys))
        let signers = [
            ("rsa-private.pem", Algorithm.RS256, "rsa-1"), ("ec256-private.pem", .ES256, "ec-1"),
            ("ed25519-private.pem", .EdDSA, "ed-1"),
        ]
        for (file, algorithm, kid) in signers {
            let key = try KeyLoader.privateKeyPEM(Fixtures.resource(file), algorithm: algorithm, kid: kid)
            let token = try TokenSigner.sign(claims: Fixtures.claims(), key: key)
            #expect(throws: Never.self) { try verifier.verify(token, now: Fixtures.now).get() }
            // The same key under another kid is not found.
            let relabeled = try KeyLoader.privateKeyPEM(Fixtures.resource(file), algorithm: algorithm, kid: "nope")
            let other = try TokenSigner.sign(claims: Fixtures.claims(), key: relabeled)
            #expect(verifier.verify(other, now: Fixtures.now).error == .unknownKey)
        }
    }

    @Test(arguments: [
        (#"{"keys":[{"kty":"oct","k":"dGVzdC1zZWNyZXQtdGhhdC1pcy1sb25nLWVub3VnaC1mb3ItSFMyNTYh","alg":"HS256"}]}"#,
         "JWKS key 0: symmetric (oct) keys are not accepted from a JWKS"),
        (#"{"keys":[{"kty":"RSA","alg":"RS256","n":"AQAB","e":"AQAB","d":"AQAB"}]}"#,
         "JWKS key 0: contains private key material (d)"),
        (#"{"keys":[{"kty":"RSA","alg":"ES256","n":"AQAB","e":"AQAB"}]}"#, "JWKS key 0: alg ES256 does not fit kty RSA"),
        (#"{"keys":[{"kty":"EC","crv":"P-256","alg":"ES384","x":"AA","y":"AA"}]}"#,
         "JWKS key 0: alg ES384 does not fit kty EC"),
        (#"{"keys":[{"alg":"RS256"}]}"#, "JWKS key 0: missing kty"),
        (#"{"keys":[{"kty":"RSA","alg":"RS256","n":"AQAB=","e":"AQAB"}]}"#, "JWKS key 0: n is not base64url"),
        (#"{"keys":[{"kty":"RSA","use":"enc","n":"AQAB","e":"AQAB"}]}"#, "JWKS has no usable signature verification key"),
        (#"{"keys":[{"kty":"RSA","alg":"RS256","key_ops":["encrypt"],"n":"AQAB","e":"AQAB"}]}"#,
         "JWKS has no usable signature verification key"),
        (#"{"keys":[]}"#, "JWKS has no usable signature verification key"),
        (#"{"kty":"RSA"}"#, "JWKS must be an object with a \"keys\" array"),
        (#"{"keys":[1]}"#, "JWKS key 0 is not an object"),
    ])
    func rejects(json: String, message: String) {
        #expect(throws: KeyError(message)) { try JWKS.parse(Array(json.utf8)) }
    }

    @Test func symmetricKeysOnlyWhenAllowed() throws {
        let json = #"{"keys":[{"kty":"oct","kid":"s","k":"dGVzdC1zZWNyZXQtdGhhdC1pcy1sb25nLWVub3VnaC1mb3ItSFMyNTYh"}]}"#
        let keys = try JWKS.parse(Array(json.utf8), allowedAlgorithms: [.HS256, .RS256], allowSymmetric: true)
        #expect(keys.map(\.algorithm) == [.HS256])
        let verifier = Fixtures.verifier(Fixtures.profile(keys: keys))
        let token = try TokenSigner.sign(claims: Fixtures.claims(), key: try Fixtures.hmacSigner(kid: "s"))
        #expect(throws: Never.self) { try verifier.verify(token, now: Fixtures.now).get() }
    }

    @Test func rejectsInvalidJSON() {
        #expect(throws: KeyError.self) { try JWKS.parse(Array(#"{"keys":[],"keys":[]}"#.utf8)) }
    }
}
