import JSON
import Testing

@testable import JWT

/// Known-answer tests from RFC 7520 ("Examples of Protecting Content Using JOSE"): the public keys of
/// §3.1 (EC P-521), §3.3 (RSA-2048) and §3.5 (symmetric), and the compact serializations of §4.1 (RS256),
/// §4.2 (PS384), §4.3 (ES512) and §4.4 (HS256). All vector strings are the RFC's, copied verbatim; PS384 and
/// ES512 signatures are randomized, so only verification (not re-signing) can be checked against them.
struct RFC7520Tests {
    enum KeySource: Sendable {
        case rsa, ec, oct
    }

    struct Vector: Sendable, CustomTestStringConvertible {
        let section: String
        let algorithm: Algorithm
        let keySource: KeySource
        let kid: String
        let signatureBytes: Int
        let compact: String

        var testDescription: String { "RFC 7520 §\(section) \(algorithm.rawValue)" }
    }

    static let bilbo = "bilbo.baggins@hobbiton.example"
    static let symmetricKid = "018c0ae5-4d9b-471b-bfd6-eef314bc7037"

    /// §4's payload: prose, with U+2019 apostrophes in "It’s" and "there’s" but an ASCII one in "don't".
    static let payload =
        "It’s a dangerous business, Frodo, going out your door. You step onto the road, and if you don't keep your feet, "
        + "there’s no knowing where you might be swept off to."

    static let payloadSegment =
        "SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5k"
        + "IGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4"

    // §3.3 RSA public key (n, e = AQAB).
    static let rsaN =
        "n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwG"
        + "U_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3u"
        + "hGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHd"
        + "rNP5zw"
    static let rsaE = "AQAB"

    // §3.1 EC P-521 public key.
    static let ecX = "AHKZLLOsCOzz5cY97ewNUajB957y-C-U88c3v13nmGZx6sYl_oJXu9A5RkTKqjqvjyekWF-7ytDyRXYgCF5cj0Kt"
    static let ecY = "AdymlHvOiLxXkEhayXQnNCvDX4h9htZaCJN34kfmC6pV5OhQHiraVySsUdaQkAgDPrwQrJmbnX9cwlGfP-HqHZR1"

    // §3.5 symmetric key.
    static let octK = "hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg"

    static let vectors: [Vector] = [
        Vector(
            section: "4.1", algorithm: .RS256, keySource: .rsa, kid: bilbo, signatureBytes: 256,
            compact: "eyJhbGciOiJSUzI1NiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9.\(payloadSegment)."
                + "MRjdkly7_-oTPTS3AXP41iQIGKa80A0ZmTuV5MEaHoxnW2e5CZ5NlKtainoFmKZopdHM1O2U4mwzJdQx996ivp83xuglII7PNDi84wnB-BDkoBwA"
                + "78185hX-Es4JIwmDLJK3lfWRa-XtL0RnltuYv746iYTh_qHRD68BNt1uSNCrUCTJDt5aAE6x8wW1Kt9eRo4QPocSadnHXFxnt8Is9UzpERV0eP"
                + "PQdLuW3IS_de3xyIrDaLGdjluPxUAhb6L2aXic1U12podGU0KLUQSE_oI-ZnmKJ3F4uOZDnd6QZWJushZ41Axf_fcIe8u9ipH84ogoree7vjbU5"
                + "y18kDquDg"),
        Vector(
            section: "4.2", algorithm: .PS384, keySource: .rsa, kid: bilbo, signatureBytes: 256,
            compact: "eyJhbGciOiJQUzM4NCIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9.\(payloadSegment)."
                + "cu22eBqkYDKgIlTpzDXGvaFfz6WGoz7fUDcfT0kkOy42miAh2qyBzk1xEsnk2IpN6-tPid6VrklHkqsGqDqHCdP6O8TTB5dDDItllVo6_1OLPpc"
                + "bUrhiUSMxbbXUvdvWXzg-UD8biiReQFlfz28zGWVsdiNAUf8ZnyPEgVFn442ZdNqiVJRmBqrYRXe8P_ijQ7p8Vdz0TTrxUeT3lm8d9shnr2lfJT"
                + "8ImUjvAA2Xez2Mlp8cBE5awDzT0qI0n6uiP1aCN_2_jLAeQTlqRHtfa64QQSUmFAAjVKPbByi7xho0uTOcbH510a6GYmJUAfmWjwZ6oD4ifKo8D"
                + "YM-X72Eaw"),
        Vector(
            section: "4.3", algorithm: .ES512, keySource: .ec, kid: bilbo, signatureBytes: 132,
            compact: "eyJhbGciOiJFUzUxMiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9.\(payloadSegment)."
                + "AE_R_YZCChjn4791jSQCrdPZCNYqHXCTZH0-JZGYNlaAjP2kqaluUIIUnC9qvbu9Plon7KRTzoNEuT4Va2cmL1eJAQy3mtPBu_u_sDDyYjnAMDx"
                + "XPn7XrT0lw-kvAD890jl8e2puQens_IEKBpHABlsbEPX6sFY8OcGDqoRuBomu9xQ2"),
        Vector(
            section: "4.4", algorithm: .HS256, keySource: .oct, kid: symmetricKid, signatureBytes: 32,
            compact: "eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVlZjMxNGJjNzAzNyJ9.\(payloadSegment)."
                + "s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0"),
    ]

    static func decoded(_ text: String) throws -> [UInt8] {
        try #require(Base64URL.decode(text), "not base64url: \(text.prefix(16))")
    }

    /// The verification key of the vector's section 3 JWK, pinned to `algorithm`.
    static func key(_ source: KeySource, algorithm: Algorithm, kid: String) throws -> VerificationKey {
        switch source {
        case .rsa: try KeyLoader.rsaPublic(n: try decoded(rsaN), e: try decoded(rsaE), algorithm: algorithm, kid: kid)
        case .ec:
            try KeyLoader.ecPublic(
                curve: "P-521", x: try decoded(ecX), y: try decoded(ecY), algorithm: algorithm, kid: kid)
        case .oct: try KeyLoader.hmacSecret(try decoded(octK), algorithm: algorithm, kid: kid)
        }
    }

    static func key(for vector: Vector) throws -> VerificationKey {
        try key(vector.keySource, algorithm: vector.algorithm, kid: vector.kid)
    }

    /// The compact form split by the project's own parser: ASCII signing input and decoded signature.
    static func parts(_ vector: Vector) throws -> (header: [UInt8], payload: [UInt8], input: [UInt8], signature: [UInt8]) {
        let token = Array(vector.compact.utf8)
        let jws = try token.withUnsafeBytes { raw throws(JWTError) in try CompactJWS.split(raw) }
        let segment = { (range: Range<Int>) in String(decoding: token[range], as: UTF8.self) }
        return (
            try decoded(segment(jws.header)), try decoded(segment(jws.payload)), Array(token[jws.signingInput]),
            try decoded(segment(jws.signature))
        )
    }

    static func verify(_ key: VerificationKey, input: [UInt8], signature: [UInt8]) -> Bool {
        CryptoFixtures.verify(key, input, signature, in: CryptoContext())
    }

    @Test(arguments: vectors)
    func headerAndPayloadMatchTheRFC(_ vector: Vector) throws {
        let parts = try Self.parts(vector)
        let header = try JOSEHeader(try #require(try JSONParser.parse(parts.header).objectValue))
        #expect(header.algorithm == vector.algorithm)
        #expect(header.kid == vector.kid)
        #expect(header.typ == nil)
        #expect(String(decoding: parts.payload, as: UTF8.self) == Self.payload)
        #expect(parts.signature.count == vector.signatureBytes)
    }

    @Test(arguments: vectors)
    func signatureVerifies(_ vector: Vector) throws {
        let parts = try Self.parts(vector)
        #expect(Self.verify(try Self.key(for: vector), input: parts.input, signature: parts.signature))
    }

    /// First, middle and last bit: an RSA/HMAC value, and for ES512 both r (first half) and s (second half).
    @Test(arguments: vectors)
    func flippedSignatureBitIsRejected(_ vector: Vector) throws {
        let parts = try Self.parts(vector)
        let key = try Self.key(for: vector)
        let bits = parts.signature.count * 8
        for bit in [0, 7, bits / 2 - 1, bits / 2, bits - 8, bits - 1] {
            let flipped = CryptoFixtures.flippingBit(parts.signature, at: bit)
            #expect(!Self.verify(key, input: parts.input, signature: flipped), "bit \(bit)")
        }
    }

    @Test(arguments: vectors)
    func modifiedPayloadIsRejected(_ vector: Vector) throws {
        let parts = try Self.parts(vector)
        let key = try Self.key(for: vector)
        let header = vector.compact.prefix { $0 != "." }
        // "Frodo" becomes "Grodo", re-encoded canonically: the header and encoding stay valid, only the signature can tell.
        var altered = Array(Self.payload.utf8)
        let capitalF = try #require(altered.firstIndex(of: UInt8(ascii: "F")))
        altered[capitalF] = UInt8(ascii: "G")
        let forged = Array((header + "." + Base64URL.encode(altered)).utf8)
        #expect(forged != parts.input)
        #expect(!Self.verify(key, input: forged, signature: parts.signature))
        // The RFC's own signing input with its last base64url character changed.
        var edited = parts.input
        #expect(edited.last == UInt8(ascii: "4"))
        edited[edited.count - 1] = UInt8(ascii: "8")
        #expect(!Self.verify(key, input: edited, signature: parts.signature))
    }

    /// The algorithm is pinned by the key: the §4.1 PKCS#1 v1.5 signature must not pass as PSS and the §4.2 PSS
    /// signature must not pass as PKCS#1 v1.5, although both are made with the same RSA key.
    @Test func rsaPaddingIsPinnedByTheKey() throws {
        let pkcs1 = try #require(Self.vectors.first { $0.algorithm == .RS256 })
        let pss = try #require(Self.vectors.first { $0.algorithm == .PS384 })
        for (vector, other) in [(pkcs1, Algorithm.PS256), (pss, .RS384)] {
            let parts = try Self.parts(vector)
            let key = try Self.key(.rsa, algorithm: other, kid: vector.kid)
            #expect(!Self.verify(key, input: parts.input, signature: parts.signature), "\(vector.section) as \(other)")
        }
    }

    /// The full verifier decodes the claim set before any key work; prose is not a JWT claim set.
    @Test(arguments: vectors)
    func tokenVerifierRejectsProsePayload(_ vector: Vector) throws {
        let verifier = Fixtures.verifier(Fixtures.profile(keys: [try Self.key(for: vector)]))
        #expect(verifier.verify(vector.compact, now: Fixtures.now).error == .malformed("payload is not a JSON object"))
    }
}
