import Foundation
import JWT
import Testing

/// Keys, tokens and a gateway config shared by the auth and rate-limit integration tests. Tokens are built
/// from hand-written header and payload JSON so that malformed shapes (a string `exp`, a duplicate `alg`)
/// can be expressed exactly; the PEM keys are the JWT module's test keys, read in place.
enum AuthFixtures {
    static let realm = "gateway-test"
    static let issuer = "https://issuer.test"
    static let keycloakIssuer = "https://keycloak.test"
    static let jwksIssuer = "https://jwks.test"
    static let rsaOnlyIssuer = "https://rsa-only.test"
    static let audience = "legacy-api"
    static let secretEnv = "AUTH_TEST_SECRET"
    static let secret = "integration-secret-that-is-long-enough-for-HS256"
    static let environment = [secretEnv: secret]

    /// Tests/JWTTests/Resources/jose, next to this file's directory.
    static func joseDirectory(file: String = #filePath) -> String {
        let parts = file.split(separator: "/", omittingEmptySubsequences: false).dropLast(2)
        return parts.joined(separator: "/") + "/JWTTests/Resources/jose"
    }

    static func pem(_ name: String) throws -> [UInt8] {
        let path = joseDirectory() + "/" + name
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GatewayHarness.StartError(description: "cannot read \(path)")
        }
        return Array(data)
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }

    static func hmacSigner(kid: String? = "hs") throws -> SigningKey {
        try KeyLoader.hmacSigningKey(Array(secret.utf8), algorithm: .HS256, kid: kid)
    }

    static func privateSigner(_ file: String, _ algorithm: Algorithm, kid: String?) throws -> SigningKey {
        try KeyLoader.privateKeyPEM(try pem(file), algorithm: algorithm, kid: kid)
    }

    /// A claims object as JSON text; `extra` is raw members appended verbatim (e.g. `"scope":"a b"`).
    static func payload(
        iss: String = issuer, sub: String = "alice", aud: String? = audience, roles: [String]? = ["reader"],
        expIn: Int64? = 300, extra: String = ""
    ) -> String {
        var members = [#""iss":"\#(iss)""#, #""sub":"\#(sub)""#, #""iat":\#(now - 5)"#]
        if let aud { members.append(#""aud":"\#(aud)""#) }
        if let roles { members.append(#""roles":[\#(roles.map { "\"\($0)\"" }.joined(separator: ","))]"#) }
        if let expIn { members.append(#""exp":\#(now + expIn)"#) }
        if !extra.isEmpty { members.append(extra) }
        return "{" + members.joined(separator: ",") + "}"
    }

    static func signingInput(header: String, payload: String) -> [UInt8] {
        var input: [UInt8] = []
        Base64URL.encode(Array(header.utf8), into: &input)
        input.append(UInt8(ascii: "."))
        Base64URL.encode(Array(payload.utf8), into: &input)
        return input
    }

    /// A compact JWS over exactly these header and payload bytes.
    static func token(header: String, payload: String, key: SigningKey) throws -> String {
        let input = signingInput(header: header, payload: payload)
        return String(decoding: input, as: UTF8.self) + "." + Base64URL.encode(try key.sign(input))
    }

    /// A compact JWS with a caller-chosen signature segment.
    static func token(header: String, payload: String, signature: [UInt8]) -> String {
        String(decoding: signingInput(header: header, payload: payload), as: UTF8.self) + "." + Base64URL.encode(signature)
    }

    /// A valid HS256 token of the main issuer.
    static func hs256(
        sub: String = "alice", roles: [String]? = ["reader"], expIn: Int64? = 300, extra: String = ""
    ) throws -> String {
        try token(
            header: #"{"alg":"HS256","typ":"JWT","kid":"hs"}"#,
            payload: payload(sub: sub, roles: roles, expIn: expIn, extra: extra), key: try hmacSigner())
    }

    static let issuersJSON = """
        "realm": "\(realm)",
        "issuers": {
          "main": {
            "iss": "\(issuer)", "audiences": ["\(audience)"], "leeway": "30s",
            "keys": [
              { "kid": "hs", "alg": "HS256", "secret_env": "\(secretEnv)" },
              { "kid": "rsa", "alg": "RS256", "public_key": "rsa-public.pem" },
              { "kid": "ec", "alg": "ES256", "public_key": "ec256-public.pem" },
              { "kid": "ed", "alg": "EdDSA", "public_key": "ed25519-public.pem" }
            ]
          },
          "rsa-only": {
            "iss": "\(rsaOnlyIssuer)",
            "keys": [ { "kid": "rsa", "alg": "RS256", "public_key": "rsa-public.pem" } ]
          },
          "jwks": {
            "iss": "\(jwksIssuer)",
            "keys": [ { "jwks_file": "jwks.json", "algs": ["RS256", "ES256", "EdDSA"] } ]
          },
          "keycloak": {
            "iss": "\(keycloakIssuer)", "roles_claim": "realm_access.roles",
            "keys": [ { "alg": "HS256", "secret_env": "\(secretEnv)" } ]
          }
        }
        """

    /// The public, unlimited route `AuthExpect.nothingForwarded` sends its marker through.
    static let markerRoute = #"{"prefix": "/public/", "upstream": "backend", "auth": "public", "rate_limit": false}"#

    /// A gateway with the fixture issuers in front of `upstream`: the given route objects (JSON texts) and
    /// the marker route, plus extra top-level members.
    static func gateway(routes: [String], upstream: TestUpstream, extra: String = "") throws -> GatewayHarness {
        let members = extra.isEmpty ? issuersJSON : issuersJSON + ",\n" + extra
        let list = "[" + (routes + [markerRoute]).joined(separator: ",\n") + "]"
        return try GatewayHarness(
            config: GatewayHarness.config(routes: list, extra: members), upstreamPort: upstream.port,
            environment: environment, baseDirectory: joseDirectory())
    }

    /// Runs `body` against a fresh upstream and gateway, stopping both afterwards.
    static func withGateway(
        routes: [String], extra: String = "", _ body: (GatewayHarness, TestUpstream) throws -> Void
    ) throws {
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let gw = try gateway(routes: routes, upstream: upstream, extra: extra)
        defer { gw.stop() }
        try body(gw, upstream)
    }

    static func bearer(_ token: String) -> (String, String) { ("Authorization", "Bearer " + token) }
}

/// Expectations every rejection test repeats.
enum AuthExpect {
    /// A 401 with the given error code and a Bearer challenge naming the realm (RFC 6750 §3).
    static func unauthorized(
        _ r: TestResponse, code: String = "invalid_token", sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(r.status == 401, sourceLocation: sourceLocation)
        #expect(r.errorCode == code, sourceLocation: sourceLocation)
        let challenge = r.header("WWW-Authenticate") ?? ""
        #expect(challenge.hasPrefix("Bearer realm=\"\(AuthFixtures.realm)\""), sourceLocation: sourceLocation)
        // Only a presented bearer token that failed earns error="invalid_token" (RFC 6750 §3.1); a login's
        // password or a refresh token is not one.
        if ["missing_token", "invalid_credentials", "invalid_refresh_token"].contains(code) {
            #expect(!challenge.contains("error="), sourceLocation: sourceLocation)
        } else {
            #expect(challenge.contains("error=\"invalid_token\""), sourceLocation: sourceLocation)
        }
    }

    /// Proves the upstream saw none of the earlier requests without sleeping: a marker request sent now must
    /// be the only one the upstream has received.
    static func nothingForwarded(
        before upstream: TestUpstream, gatewayPort: UInt16, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let marker = try TestClient.request(port: gatewayPort, path: "/public/marker")
        #expect(marker.status == 200, sourceLocation: sourceLocation)
        #expect(upstream.waitForRequests(count: 1, timeout: 5), sourceLocation: sourceLocation)
        #expect(upstream.received.map(\.path) == ["/public/marker"], sourceLocation: sourceLocation)
    }
}
