import Foundation
import JWT
import Testing

/// Token shapes an attacker might send, each through the real gateway: every one is a 401 and the upstream
/// receives nothing.
@Suite(.serialized) struct AuthAttackTests {
    enum Shape: String, CaseIterable, Sendable {
        case algNoneLower, algNoneCapitalized, algNoneUpper, algNoneMixed, algNoneEmptySignature
        case hs256WithRSAPublicKeyAsSecret, hs256WithRSAPublicKeyAsSecretAndKid
        case emptySignature, signatureFromOtherSecret, signatureFromOtherRSAKey, alteredPayload
        case truncated, extraSegment, paddingInSignature, paddingInHeader, plusInSignature, bangInPayload
        case duplicateAlgNoneLast, duplicateAlgNoneFirst
        case kidPathTraversal, jkuToAttackerKeys, embeddedAttackerJWK, critUnknown
        case ecdsaZeroRAndS, ecdsaSignatureOneByteShort, ecdsaSignatureOneByteLong
        case expAsString, expiredBeyondLeeway, nbfInFuture, missingExp, wrongIssuer, wrongAudience

        var expectedCode: String { self == .expiredBeyondLeeway ? "token_expired" : "invalid_token" }
    }

    static let hsHeader = #"{"alg":"HS256","typ":"JWT","kid":"hs"}"#

    static func token(_ shape: Shape) throws -> String {
        let hs = try AuthFixtures.hmacSigner()
        let payload = AuthFixtures.payload()
        let valid = try AuthFixtures.token(header: hsHeader, payload: payload, key: hs)
        let parts = valid.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let attackerSecret = Array("attacker-secret-that-is-long-enough-for-HS256".utf8)
        let attackerHMAC = try KeyLoader.hmacSigningKey(attackerSecret, algorithm: .HS256, kid: "hs")
        let attackerRSA = try AuthFixtures.privateSigner("rsa2-private.pem", .RS256, kid: "rsa")
        let ec = try AuthFixtures.privateSigner("ec256-private.pem", .ES256, kid: "ec")
        let ecHeader = #"{"alg":"ES256","typ":"JWT","kid":"ec"}"#
        let ecSignature = try ec.sign(AuthFixtures.signingInput(header: ecHeader, payload: payload))
        let now = AuthFixtures.now

        func none(_ alg: String) throws -> String {
            // A genuine HMAC over the none-header: a verifier that ignored alg would accept it.
            try AuthFixtures.token(header: #"{"alg":"\#(alg)","typ":"JWT"}"#, payload: payload, key: hs)
        }
        func hs256(header: String = hsHeader, _ claims: String) throws -> String {
            try AuthFixtures.token(header: header, payload: claims, key: hs)
        }

        switch shape {
        case .algNoneLower: return try none("none")
        case .algNoneCapitalized: return try none("None")
        case .algNoneUpper: return try none("NONE")
        case .algNoneMixed: return try none("nOnE")
        case .algNoneEmptySignature:
            return AuthFixtures.token(header: #"{"alg":"none","typ":"JWT"}"#, payload: payload, signature: [])
        case .hs256WithRSAPublicKeyAsSecret, .hs256WithRSAPublicKeyAsSecretAndKid:
            let forger = try KeyLoader.hmacSigningKey(try AuthFixtures.pem("rsa-public.pem"), algorithm: .HS256, kid: nil)
            let header = shape == .hs256WithRSAPublicKeyAsSecret ? #"{"alg":"HS256","typ":"JWT"}"# : #"{"alg":"HS256","typ":"JWT","kid":"rsa"}"#
            return try AuthFixtures.token(header: header, payload: AuthFixtures.payload(iss: AuthFixtures.rsaOnlyIssuer), key: forger)
        case .emptySignature: return parts[0] + "." + parts[1] + "."
        case .signatureFromOtherSecret: return try AuthFixtures.token(header: hsHeader, payload: payload, key: attackerHMAC)
        case .signatureFromOtherRSAKey:
            return try AuthFixtures.token(header: #"{"alg":"RS256","typ":"JWT","kid":"rsa"}"#, payload: payload, key: attackerRSA)
        case .alteredPayload:
            let elevated = Base64URL.encode(Array(AuthFixtures.payload(sub: "admin", roles: ["admin"]).utf8))
            return parts[0] + "." + elevated + "." + parts[2]
        case .truncated: return String(valid.dropLast(10))
        case .extraSegment: return valid + ".AAAA"
        case .paddingInSignature: return valid + "="
        case .paddingInHeader: return parts[0] + "=." + parts[1] + "." + parts[2]
        case .plusInSignature: return parts[0] + "." + parts[1] + ".+" + parts[2].dropFirst()
        case .bangInPayload: return parts[0] + "." + parts[1] + "!." + parts[2]
        case .duplicateAlgNoneLast: return try hs256(header: #"{"alg":"HS256","alg":"none","kid":"hs"}"#, payload)
        case .duplicateAlgNoneFirst: return try hs256(header: #"{"alg":"none","alg":"HS256","kid":"hs"}"#, payload)
        case .kidPathTraversal: return try hs256(header: #"{"alg":"HS256","kid":"../../etc/passwd"}"#, payload)
        case .jkuToAttackerKeys:
            return try AuthFixtures.token(
                header: #"{"alg":"RS256","kid":"rsa","jku":"https://attacker.example/jwks.json","x5u":"https://attacker.example/c.pem"}"#,
                payload: payload, key: attackerRSA)
        case .embeddedAttackerJWK:
            let k = Base64URL.encode(attackerSecret)
            return try AuthFixtures.token(
                header: #"{"alg":"HS256","kid":"hs","jwk":{"kty":"oct","k":"\#(k)"}}"#, payload: payload, key: attackerHMAC)
        case .critUnknown: return try hs256(header: #"{"alg":"HS256","kid":"hs","crit":["x-custom"],"x-custom":true}"#, payload)
        case .ecdsaZeroRAndS: return AuthFixtures.token(header: ecHeader, payload: payload, signature: [UInt8](repeating: 0, count: 64))
        case .ecdsaSignatureOneByteShort: return AuthFixtures.token(header: ecHeader, payload: payload, signature: Array(ecSignature.dropLast()))
        case .ecdsaSignatureOneByteLong: return AuthFixtures.token(header: ecHeader, payload: payload, signature: ecSignature + [0])
        case .expAsString: return try hs256(AuthFixtures.payload(expIn: nil, extra: #""exp":"\#(now + 300)""#))
        case .expiredBeyondLeeway: return try hs256(AuthFixtures.payload(expIn: -120))
        case .nbfInFuture: return try hs256(AuthFixtures.payload(extra: #""nbf":\#(now + 300)"#))
        case .missingExp: return try hs256(AuthFixtures.payload(expIn: nil))
        case .wrongIssuer: return try hs256(AuthFixtures.payload(iss: "https://evil.test"))
        case .wrongAudience: return try hs256(AuthFixtures.payload(aud: "other-api"))
        }
    }

    /// The untampered ES256 token the ECDSA shapes are cut from is accepted, so their rejection is the
    /// signature's fault alone.
    @Test func baselineTokensAreAccepted() throws {
        try AuthFixtures.withGateway(routes: [AuthIntegrationTests.secure]) { gw, upstream in
            let ec = try AuthFixtures.privateSigner("ec256-private.pem", .ES256, kid: "ec")
            let tokens = [
                try AuthFixtures.hs256(),
                try AuthFixtures.token(header: #"{"alg":"ES256","typ":"JWT","kid":"ec"}"#, payload: AuthFixtures.payload(), key: ec),
            ]
            for token in tokens {
                let r = try TestClient.request(port: gw.port, path: "/api/secure", headers: [AuthFixtures.bearer(token)])
                #expect(r.status == 200)
            }
            #expect(upstream.waitForRequests(count: 2, timeout: 5))
        }
    }

    @Test(arguments: Shape.allCases)
    func attackIsRejectedAndNotForwarded(_ shape: Shape) throws {
        let route = #"{"prefix": "/api/secure", "upstream": "backend", "auth": {"issuers": ["main", "rsa-only"]}}"#
        try AuthFixtures.withGateway(routes: [route]) { gw, upstream in
            let token = try Self.token(shape)
            let r = try TestClient.request(port: gw.port, path: "/api/secure", headers: [AuthFixtures.bearer(token)])
            AuthExpect.unauthorized(r, code: shape.expectedCode)
            // Keep-alive: the same shape on a persistent connection must not poison the next request either.
            let client = try TestClient(port: gw.port)
            defer { client.close() }
            client.send(path: "/api/secure", headers: [AuthFixtures.bearer(token)])
            AuthExpect.unauthorized(try client.readResponse(), code: shape.expectedCode)
            try AuthExpect.nothingForwarded(before: upstream, gatewayPort: gw.port)
        }
    }
}
