import JSON
import Testing

@testable import JWT

/// Every token shape an attacker might try is refused, each for the stated reason.
struct TokenVerifierAttackTests {
    static let payload = #"{"iss":"https://issuer.example","sub":"alice","exp":1700000300}"#

    func hmacVerifier(kid: String? = nil) throws -> TokenVerifier {
        Fixtures.verifier(Fixtures.profile(keys: [try Fixtures.hmacKey(kid: kid)]))
    }

    func signed(header: String, payload: String = payload) throws -> String {
        try Fixtures.rawToken(header: header, payload: payload, key: try Fixtures.hmacSigner())
    }

    @Test func acceptsTheWellFormedBaseline() throws {
        let token = try signed(header: #"{"alg":"HS256","typ":"JWT"}"#)
        let verified = try hmacVerifier().verify(token, now: Fixtures.now).get()
        #expect(verified.subject == "alice")
        #expect(verified.issuerIndex == 0)
    }

    @Test(arguments: ["none", "None", "NONE", "nOnE"])
    func refusesAlgNone(alg: String) throws {
        let header = Base64URL.encode(Array(#"{"alg":"\#(alg)"}"#.utf8))
        let body = Base64URL.encode(Array(Self.payload.utf8))
        let verifier = try hmacVerifier()
        #expect(verifier.verify("\(header).\(body).AAAA", now: Fixtures.now).error == .algorithmNone)
        #expect(verifier.verify("\(header).\(body).", now: Fixtures.now).error == .malformed("missing signature"))
        // A real HMAC over the none-header must not help either.
        #expect(verifier.verify(try signed(header: #"{"alg":"\#(alg)"}"#), now: Fixtures.now).error == .algorithmNone)
    }

    /// The classic key-confusion attack: HMAC with the RSA public key PEM as the secret.
    @Test func refusesHS256SignedWithThePublicKeyOfAnRS256Issuer() throws {
        let pem = Fixtures.resource("rsa-public.pem")
        let rsaKey = try KeyLoader.publicKeyPEM(pem, algorithm: .RS256, kid: nil)
        let forger = try KeyLoader.hmacSigningKey(pem, algorithm: .HS256, kid: nil)
        let token = try TokenSigner.sign(claims: Fixtures.claims(), key: forger)
        let verifier = Fixtures.verifier(Fixtures.profile(keys: [rsaKey]))
        #expect(verifier.verify(token, now: Fixtures.now).error == .algorithmMismatch)
    }

    @Test func refusesSignaturesFromOtherKeys() throws {
        let other = try TokenSigner.sign(claims: Fixtures.claims(), key: try Fixtures.hmacSigner(Fixtures.otherSecret))
        #expect(try hmacVerifier().verify(other, now: Fixtures.now).error == .badSignature)

        let rsa = try KeyLoader.publicKeyPEM(Fixtures.resource("rsa-public.pem"), algorithm: .RS256, kid: nil)
        let otherRSA = try KeyLoader.privateKeyPEM(Fixtures.resource("rsa2-private.pem"), algorithm: .RS256, kid: nil)
        let forged = try TokenSigner.sign(claims: Fixtures.claims(), key: otherRSA)
        #expect(Fixtures.verifier(Fixtures.profile(keys: [rsa])).verify(forged, now: Fixtures.now).error == .badSignature)
    }

    @Test func refusesAlteredPayloadUnderTheOriginalSignature() throws {
        let token = try signed(header: #"{"alg":"HS256"}"#)
        let parts = token.split(separator: ".")
        let elevated = Base64URL.encode(Array(Self.payload.replacingFirst("alice", with: "admin").utf8))
        #expect(try hmacVerifier().verify("\(parts[0]).\(elevated).\(parts[2])", now: Fixtures.now).error == .badSignature)
    }

    @Test func refusesStructuralDamage() throws {
        let token = try signed(header: #"{"alg":"HS256"}"#)
        let parts = token.split(separator: ".").map(String.init)
        let verifier = try hmacVerifier()
        let cases: [(String, JWTError)] = [
            ("", .malformed("expected three segments")),
            ("\(parts[0]).\(parts[1])", .malformed("expected three segments")),
            (token + ".AAAA", .malformed("expected three segments")),
            ("\(parts[0]).\(parts[1]).\(parts[2]).\(parts[2]).\(parts[2])", .malformed("expected three segments")),
            (".\(parts[1]).\(parts[2])", .malformed("empty segment")),
            ("\(parts[0])..\(parts[2])", .malformed("empty segment")),
            (String(token.dropLast(10)), .malformed("signature is not base64url")),
            (String(token.dropLast(3)), .badSignature),
            (token + "=", .malformed("signature is not base64url")),
            ("\(parts[0])=.\(parts[1]).\(parts[2])", .malformed("header is not base64url")),
            ("\(parts[0]).\(parts[1]).+\(parts[2].dropFirst())", .malformed("signature is not base64url")),
            (" " + token, .malformed("header is not base64url")),
            // With a single issuer the signature is checked before the payload is decoded: an altered
            // payload is refused as unsigned, never parsed.
            ("\(parts[0]).\(parts[1])!.\(parts[2])", .badSignature),
        ]
        for (candidate, expected) in cases {
            #expect(verifier.verify(candidate, now: Fixtures.now).error == expected, "\(candidate)")
        }
    }

    @Test(arguments: [
        (#"{"alg":"HS256","alg":"none"}"#, JWTError.malformed("header is not a JSON object")),
        (#"{"alg":"HS256"} "#, nil),
        (#"["HS256"]"#, .malformed("header is not a JSON object")),
        (#"{"alg":"HS256",}"#, .malformed("header is not a JSON object")),
        (#"{"typ":"JWT"}"#, .malformed("missing alg header")),
        (#"{"alg":256}"#, .malformed("alg header is not a string")),
        (#"{"alg":"hs256"}"#, .unsupportedAlgorithm("hs256")),
        (#"{"alg":"HS1"}"#, .unsupportedAlgorithm("HS1")),
        (#"{"alg":"HS256","crit":["exp"],"exp":1}"#, .critUnsupported),
        (#"{"alg":"HS256","crit":[]}"#, .critUnsupported),
        (#"{"alg":"HS256","b64":false}"#, .critUnsupported),
        (#"{"alg":"HS256","kid":7}"#, .malformed("kid header is not a string")),
        (#"{"alg":"HS256","kid":"../../etc/passwd"}"#, .unknownKey),
        (#"{"alg":"HS256","jku":"https://attacker.example/jwks.json"}"#, nil),
        (#"{"alg":"HS256","x5u":"https://attacker.example/cert.pem"}"#, nil),
        (#"{"alg":"RS256"}"#, .algorithmMismatch),
        (#"{"alg":"HS384"}"#, .algorithmMismatch),
    ])
    func header(json: String, expected: JWTError?) throws {
        let result = try hmacVerifier().verify(try signed(header: json), now: Fixtures.now)
        #expect(result.error == expected)
    }

    /// An embedded `jwk` naming the attacker's own key is never used.
    @Test func ignoresEmbeddedKeys() throws {
        let attackerSecret = Base64URL.encode(Fixtures.otherSecret)
        let header = #"{"alg":"HS256","jwk":{"kty":"oct","k":"\#(attackerSecret)"}}"#
        let token = try Fixtures.rawToken(
            header: header, payload: Self.payload, key: try Fixtures.hmacSigner(Fixtures.otherSecret))
        #expect(try hmacVerifier().verify(token, now: Fixtures.now).error == .badSignature)
    }

    @Test func refusesJWE() throws {
        let jwe = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgck.48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6jiSdiwkIr3ajwQzaBtQD_A.XFBoMYUZodetZdvTiFvSkQ"
        #expect(try hmacVerifier().verify(jwe, now: Fixtures.now).error == .malformed("expected three segments"))
    }

    @Test func capsTokenLength() throws {
        let verifier = TokenVerifier(issuers: IssuerSet([Fixtures.profile(keys: [try Fixtures.hmacKey()])]), maxTokenBytes: 100)
        let long = try signed(header: #"{"alg":"HS256"}"#)
        #expect(long.utf8.count > 100)
        #expect(verifier.verify(long, now: Fixtures.now).error == .tooLong)
    }

    @Test func selectsKeysByKidAndAlgorithmOnly() throws {
        let a = try Fixtures.hmacKey(kid: "a")
        let b = try Fixtures.hmacKey(Fixtures.otherSecret, kid: "b")
        let verifier = Fixtures.verifier(Fixtures.profile(keys: [a, b]))
        let signedByB = try TokenSigner.sign(claims: Fixtures.claims(), key: try Fixtures.hmacSigner(Fixtures.otherSecret, kid: "b"))
        #expect(throws: Never.self) { try verifier.verify(signedByB, now: Fixtures.now).get() }
        // Right key, wrong label: the kid restricts the candidates, so B's signature is tried against A only.
        let mislabeled = try TokenSigner.sign(
            claims: Fixtures.claims(), key: try Fixtures.hmacSigner(Fixtures.otherSecret, kid: "a"))
        #expect(verifier.verify(mislabeled, now: Fixtures.now).error == .badSignature)
        // Without kid every key of the algorithm is tried.
        let anonymous = try TokenSigner.sign(claims: Fixtures.claims(), key: try Fixtures.hmacSigner(Fixtures.otherSecret))
        #expect(throws: Never.self) { try verifier.verify(anonymous, now: Fixtures.now).get() }
    }

    @Test func boundsKeyAttemptsWithoutKid() throws {
        let decoys = try (0..<TokenVerifier.maxKeyAttempts).map { i in
            try Fixtures.hmacKey(Array("decoy-secret-number-\(i)-long-enough-for-hs256".utf8))
        }
        let verifier = Fixtures.verifier(Fixtures.profile(keys: decoys + [try Fixtures.hmacKey()]))
        let token = try TokenSigner.sign(claims: Fixtures.claims(), key: try Fixtures.hmacSigner())
        #expect(verifier.verify(token, now: Fixtures.now).error == .badSignature)
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
    }
}
