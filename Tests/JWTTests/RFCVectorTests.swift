import JSON
import Testing

@testable import JWT

/// Published JOSE examples, verified end to end.
struct RFCVectorTests {
    static let appendixPayload =
        "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    static let appendixNow: Int64 = 1_300_819_000

    static func joe(_ key: VerificationKey) -> TokenVerifier {
        Fixtures.verifier(Fixtures.profile(keys: [key], issuer: "joe"))
    }

    /// RFC 7515 Appendix A.1 (HS256), including its CRLF-laden header and payload JSON.
    @Test func rfc7515AppendixA1() throws {
        let k = try #require(
            Base64URL.decode(
                "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"))
        let token =
            "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.\(Self.appendixPayload).dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        let verifier = Self.joe(try KeyLoader.hmacSecret(k, algorithm: .HS256, kid: nil))
        let verified = try verifier.verify(token, now: Self.appendixNow).get()
        #expect(verified.expiresAt == 1_300_819_380)
        #expect(verified.claims["http://example.com/is_root"] == true)
        #expect(verifier.verify(token, now: 1_300_819_380 + 30).error == .expired)
    }

    /// RFC 7515 Appendix A.2 (RS256).
    @Test func rfc7515AppendixA2() throws {
        let n = try #require(
            Base64URL.decode(
                "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-"
                    + "pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBE"
                    + "Ma2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91k"
                    + "zk2PAcDTW9gb54h4FRWyuXpoQ"))
        let key = try KeyLoader.rsaPublic(n: n, e: [1, 0, 1], algorithm: .RS256, kid: nil)
        let signature =
            "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dn"
            + "ZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jz"
            + "DwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlU"
            + "PQGe77Rw"
        let token = "eyJhbGciOiJSUzI1NiJ9.\(Self.appendixPayload).\(signature)"
        #expect(throws: Never.self) { try Self.joe(key).verify(token, now: Self.appendixNow).get() }
        // The same bytes with one signature character changed must fail.
        let tampered = "eyJhbGciOiJSUzI1NiJ9.\(Self.appendixPayload).dC4" + signature.dropFirst(3)
        #expect(Self.joe(key).verify(tampered, now: Self.appendixNow).error == .badSignature)
    }

    /// RFC 7515 Appendix A.3 (ES256).
    @Test func rfc7515AppendixA3() throws {
        let key = try KeyLoader.ecPublic(
            curve: "P-256", x: try #require(Base64URL.decode("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU")),
            y: try #require(Base64URL.decode("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0")), algorithm: .ES256,
            kid: nil)
        let token =
            "eyJhbGciOiJFUzI1NiJ9.\(Self.appendixPayload)."
            + "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
        #expect(throws: Never.self) { try Self.joe(key).verify(token, now: Self.appendixNow).get() }
    }

    /// RFC 7520 §4.4 (HS256 with kid). Its payload is prose, not a claim set, so the check stops at
    /// the signature: split, header, key from the RFC's JWK, and the crypto context.
    @Test func rfc7520Section4_4() throws {
        let jwk = try #require(
            try JSONParser.parse(
                #"{"kty":"oct","kid":"018c0ae5-4d9b-471b-bfd6-eef314bc7037","use":"sig","alg":"HS256","#
                    + #""k":"hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg"}"#
            ).objectValue)
        let keys = try JWKS.parseKey(jwk, allowSymmetric: true)
        let key = try #require(keys.first)
        #expect(keys.count == 1 && key.kid == "018c0ae5-4d9b-471b-bfd6-eef314bc7037" && key.algorithm == .HS256)
        let token = Array(
            ("eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVlZjMxNGJjNzAzNyJ9."
                + "SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwg"
                + "YW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZi"
                + "B0by4.s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0").utf8)
        let valid = try token.withUnsafeBytes { raw throws in
            let jws = try CompactJWS.split(raw)
            let headerJSON = try #require(Base64URL.decode(Array(raw[jws.header])))
            let header = try JOSEHeader(try #require(try JSONParser.parse(headerJSON).objectValue))
            #expect(header.algorithm == .HS256 && header.kid == key.kid)
            let signature = try #require(Base64URL.decode(Array(raw[jws.signature])))
            return signature.withUnsafeBytes {
                CryptoContext().verify(key, signingInput: UnsafeRawBufferPointer(rebasing: raw[jws.signingInput]), signature: $0)
            }
        }
        #expect(valid)
        // Through the full verifier it is refused: the payload is not a JSON claim set.
        let verifier = Fixtures.verifier(Fixtures.profile(keys: [key]))
        #expect(verifier.verify(String(decoding: token, as: UTF8.self), now: Fixtures.now).error
            == .malformed("payload is not a JSON object"))
    }
}
