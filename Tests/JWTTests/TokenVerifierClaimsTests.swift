import JSON
import Testing

@testable import JWT

/// Registered-claim rules: issuer, audience, time windows, types.
struct TokenVerifierClaimsTests {
    let now = Fixtures.now

    func verify(
        _ claims: JSONObject, profile: IssuerProfile? = nil, typ: String? = "JWT", now: Int64 = Fixtures.now,
        allowedIssuers: [Int]? = nil
    ) throws -> Result<VerifiedToken, JWTError> {
        let profile = try profile ?? Fixtures.profile(keys: [try Fixtures.hmacKey()])
        let token = try TokenSigner.sign(claims: claims, key: try Fixtures.hmacSigner(), typ: typ)
        return Fixtures.verifier(profile).verify(token, now: now, allowedIssuers: allowedIssuers)
    }

    @Test func issuerMustBeAConfiguredString() throws {
        var claims = Fixtures.claims(iss: "https://evil.example")
        #expect(try verify(claims).error == .unknownIssuer)
        claims["iss"] = 42
        #expect(try verify(claims).error == .invalidClaim("iss"))
        claims["iss"] = nil
        #expect(try verify(claims).error == .missingClaim("iss"))
        // Prefix or case variants of the configured issuer are different issuers.
        #expect(try verify(Fixtures.claims(iss: Fixtures.issuer + "/")).error == .unknownIssuer)
        #expect(try verify(Fixtures.claims(iss: "HTTPS://issuer.example")).error == .unknownIssuer)
    }

    @Test func routesCanRestrictIssuers() throws {
        let key = try Fixtures.hmacKey()
        let first = Fixtures.profile(keys: [key], issuer: "https://one.example")
        let second = Fixtures.profile(keys: [key], issuer: "https://two.example")
        let verifier = Fixtures.verifier(first, second)
        let token = try TokenSigner.sign(claims: Fixtures.claims(iss: "https://two.example"), key: try Fixtures.hmacSigner())
        #expect(try verifier.verify(token, now: now).get().issuerIndex == 1)
        #expect(verifier.verify(token, now: now, allowedIssuers: [0]).error == .issuerNotAllowed)
        // Also on a cache hit.
        #expect(verifier.verify(token, now: now, allowedIssuers: [0]).error == .issuerNotAllowed)
        #expect(throws: Never.self) { try verifier.verify(token, now: now, allowedIssuers: [1]).get() }
    }

    @Test func keysOfOneIssuerNeverVerifyAnother() throws {
        let first = Fixtures.profile(keys: [try Fixtures.hmacKey()], issuer: "https://one.example")
        let second = Fixtures.profile(keys: [try Fixtures.hmacKey(Fixtures.otherSecret)], issuer: "https://two.example")
        let token = try TokenSigner.sign(claims: Fixtures.claims(iss: "https://two.example"), key: try Fixtures.hmacSigner())
        #expect(Fixtures.verifier(first, second).verify(token, now: now).error == .badSignature)
    }

    @Test func expiryHonoursLeeway() throws {
        let claims = Fixtures.claims(exp: now)
        #expect(throws: Never.self) { try verify(claims, now: now).get() }
        #expect(throws: Never.self) { try verify(claims, now: now + 29).get() }
        #expect(try verify(claims, now: now + 30).error == .expired)
        #expect(try verify(claims, now: now + 3600).error == .expired)
        let strict = Fixtures.profile(keys: [try Fixtures.hmacKey()], leeway: 0)
        #expect(try verify(claims, profile: strict, now: now).error == .expired)
    }

    @Test func expIsRequiredUnlessDisabled() throws {
        #expect(try verify(Fixtures.claims(exp: nil)).error == .missingClaim("exp"))
        let lax = Fixtures.profile(keys: [try Fixtures.hmacKey()], requireExp: false)
        #expect(throws: Never.self) { try verify(Fixtures.claims(exp: nil), profile: lax).get() }
    }

    @Test(arguments: ["exp", "nbf", "iat"])
    func numericDatesMustBeNumbers(name: String) throws {
        for bad: JSONValue in [.string("1700000300"), .null, true, [1_700_000_300], ["v": 1]] {
            var claims = Fixtures.claims()
            claims[name] = bad
            #expect(try verify(claims).error == .invalidClaim(name))
        }
    }

    @Test func fractionalDatesAreAccepted() throws {
        var claims = Fixtures.claims()
        claims["exp"] = .number(try #require(JSONNumber(Double(now) + 0.5)))
        #expect(try verify(claims).get().expiresAt == Double(now) + 0.5)
    }

    @Test func notBeforeAndIssuedAtMustNotBeInTheFuture() throws {
        var claims = Fixtures.claims()
        claims["nbf"] = .number(JSONNumber(now + 30))
        #expect(throws: Never.self) { try verify(claims).get() }
        claims["nbf"] = .number(JSONNumber(now + 31))
        #expect(try verify(claims).error == .notYetValid)
        claims["nbf"] = nil
        claims["iat"] = .number(JSONNumber(now + 31))
        #expect(try verify(claims).error == .issuedInFuture)
    }

    @Test func maxAgeCountsFromIssuedAt() throws {
        let profile = Fixtures.profile(keys: [try Fixtures.hmacKey()], leeway: 0, maxAge: 60)
        var claims = Fixtures.claims()
        claims["iat"] = .number(JSONNumber(now - 60))
        #expect(throws: Never.self) { try verify(claims, profile: profile).get() }
        claims["iat"] = .number(JSONNumber(now - 61))
        #expect(try verify(claims, profile: profile).error == .tooOld)
        claims["iat"] = nil
        #expect(try verify(claims, profile: profile).error == .missingClaim("iat"))
    }

    @Test func audienceMustIntersect() throws {
        let profile = Fixtures.profile(keys: [try Fixtures.hmacKey()], audiences: ["api", "admin-api"])
        let cases: [(JSONValue?, JWTError?)] = [
            ("api", nil),
            (["other", "admin-api"], nil),
            ("other", .audienceMismatch),
            (["other", "another"], .audienceMismatch),
            ([], .audienceMismatch),
            (nil, .missingClaim("aud")),
            (42, .invalidClaim("aud")),
            (["api", 42], .invalidClaim("aud")),
            ("API", .audienceMismatch),
        ]
        for (aud, expected) in cases {
            var claims = Fixtures.claims()
            claims["aud"] = aud
            #expect(try verify(claims, profile: profile).error == expected, "\(String(describing: aud))")
        }
        var unchecked = Fixtures.claims()
        unchecked["aud"] = "anything"
        #expect(throws: Never.self) { try verify(unchecked).get() }
    }

    @Test func subjectAndJTIMustBeStrings() throws {
        var claims = Fixtures.claims()
        claims["jti"] = "id-1"
        let verified = try verify(claims).get()
        #expect(verified.subject == "alice" && verified.jti == "id-1")
        claims["sub"] = 5
        #expect(try verify(claims).error == .invalidClaim("sub"))
        claims["sub"] = "alice"
        claims["jti"] = ["x"]
        #expect(try verify(claims).error == .invalidClaim("jti"))
    }

    @Test(arguments: [
        ("at+jwt", "at+jwt", true),
        ("at+jwt", "AT+JWT", true),
        ("at+jwt", "application/at+jwt", true),
        ("application/at+jwt", "at+JWT", true),
        ("at+jwt", "JWT", false),
        ("at+jwt", nil, false),
        ("JWT", "application/jwt+other", false),
    ])
    func typIsEnforcedWhenRequired(required: String, typ: String?, accepted: Bool) throws {
        let profile = Fixtures.profile(keys: [try Fixtures.hmacKey()], requiredTyp: required)
        let result = try verify(Fixtures.claims(), profile: profile, typ: typ)
        #expect(result.error == (accepted ? nil : .typMismatch))
    }

    @Test func payloadMustBeAnObject() throws {
        let token = try Fixtures.rawToken(header: #"{"alg":"HS256"}"#, payload: "[1]", key: try Fixtures.hmacSigner())
        let verifier = Fixtures.verifier(Fixtures.profile(keys: [try Fixtures.hmacKey()]))
        #expect(verifier.verify(token, now: now).error == .malformed("payload is not a JSON object"))
        let dup = try Fixtures.rawToken(
            header: #"{"alg":"HS256"}"#, payload: #"{"iss":"https://issuer.example","iss":"https://evil.example"}"#,
            key: try Fixtures.hmacSigner())
        #expect(verifier.verify(dup, now: now).error == .malformed("payload is not a JSON object"))
    }

    @Test func errorDescriptionsAreShortSentences() {
        let all: [JWTError] = [
            .tooLong, .malformed("x"), .unsupportedAlgorithm("<script>"), .algorithmNone, .critUnsupported, .typMismatch,
            .unknownIssuer, .issuerNotAllowed, .unknownKey, .algorithmMismatch, .badSignature, .expired, .notYetValid,
            .issuedInFuture, .tooOld, .audienceMismatch, .missingClaim("exp"), .invalidClaim("exp"),
        ]
        for error in all {
            #expect(error.description.hasSuffix("."))
            #expect(!error.description.contains("<script>"))
        }
        #expect(JWTError.loggable("a\"b\\c\u{7}") == "a?b?c?")
    }
}
