import Foundation
import JWT
import Testing

/// Asymmetric keys from PEM files and from a JWKS file, loaded by the real config path (relative to the
/// config's base directory) and verified by the gateway.
@Suite(.serialized) struct AuthKeyTypeTests {
    struct KeyCase: Sendable, CustomStringConvertible {
        var issuer: String
        var algorithm: Algorithm
        var privateKey: String
        var kid: String?
        var description: String { "\(algorithm.rawValue) kid=\(kid ?? "-") iss=\(issuer)" }
    }

    static let cases: [KeyCase] = [
        KeyCase(issuer: AuthFixtures.issuer, algorithm: .RS256, privateKey: "rsa-private.pem", kid: "rsa"),
        KeyCase(issuer: AuthFixtures.issuer, algorithm: .ES256, privateKey: "ec256-private.pem", kid: "ec"),
        KeyCase(issuer: AuthFixtures.issuer, algorithm: .EdDSA, privateKey: "ed25519-private.pem", kid: "ed"),
        // Without kid the verifier tries the keys of the token's algorithm.
        KeyCase(issuer: AuthFixtures.issuer, algorithm: .ES256, privateKey: "ec256-private.pem", kid: nil),
        KeyCase(issuer: AuthFixtures.rsaOnlyIssuer, algorithm: .RS256, privateKey: "rsa-private.pem", kid: nil),
        KeyCase(issuer: AuthFixtures.jwksIssuer, algorithm: .RS256, privateKey: "rsa-private.pem", kid: "rsa-1"),
        KeyCase(issuer: AuthFixtures.jwksIssuer, algorithm: .ES256, privateKey: "ec256-private.pem", kid: "ec-1"),
        KeyCase(issuer: AuthFixtures.jwksIssuer, algorithm: .EdDSA, privateKey: "ed25519-private.pem", kid: "ed-1"),
    ]

    @Test(arguments: cases)
    func asymmetricTokenIsAccepted(_ c: KeyCase) throws {
        try AuthFixtures.withGateway(routes: [AuthIntegrationTests.secure]) { gw, upstream in
            let key = try AuthFixtures.privateSigner(c.privateKey, c.algorithm, kid: c.kid)
            let kid = c.kid.map { #","kid":"\#($0)""# } ?? ""
            let token = try AuthFixtures.token(
                header: #"{"alg":"\#(c.algorithm.rawValue)","typ":"JWT"\#(kid)}"#,
                payload: AuthFixtures.payload(iss: c.issuer, sub: "key-\(c.algorithm.rawValue)"), key: key)
            let r = try TestClient.request(port: gw.port, path: "/api/secure/k", headers: [AuthFixtures.bearer(token)])
            #expect(r.status == 200)
            #expect(upstream.waitForRequests(count: 1, timeout: 5))
            let got = try #require(upstream.received.first)
            #expect(got.header("X-Auth-Subject") == "key-\(c.algorithm.rawValue)")
            #expect(got.header("X-Auth-Issuer") == c.issuer)
        }
    }

    /// A JWKS key's kid selects it: the right signature under another key's kid is refused.
    @Test func jwksKidMustNameTheSigningKey() throws {
        try AuthFixtures.withGateway(routes: [AuthIntegrationTests.secure]) { gw, upstream in
            let ed = try AuthFixtures.privateSigner("ed25519-private.pem", .EdDSA, kid: nil)
            let mislabeled = try AuthFixtures.token(
                header: #"{"alg":"EdDSA","kid":"rsa-1"}"#, payload: AuthFixtures.payload(iss: AuthFixtures.jwksIssuer), key: ed)
            let unknown = try AuthFixtures.token(
                header: #"{"alg":"EdDSA","kid":"ed-2"}"#, payload: AuthFixtures.payload(iss: AuthFixtures.jwksIssuer), key: ed)
            for token in [mislabeled, unknown] {
                let r = try TestClient.request(port: gw.port, path: "/api/secure", headers: [AuthFixtures.bearer(token)])
                AuthExpect.unauthorized(r)
            }
            try AuthExpect.nothingForwarded(before: upstream, gatewayPort: gw.port)
        }
    }
}
