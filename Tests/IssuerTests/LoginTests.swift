import JSON
import JWT
import Store
import Testing

@testable import Issuer

struct LoginTests {
    @Test(arguments: [Algorithm.ES256, .RS256, .EdDSA, .HS256])
    func loginIssuesATokenThatVerifiesWithTheConfiguredClaims(algorithm: Algorithm) async throws {
        let fixture = try IssuerFixture(algorithm: algorithm)
        let before = UnixTime.now()
        let reply = await fixture.login()
        let after = UnixTime.now()
        #expect(reply.status == 200)
        #expect(reply.error == nil)
        let object = body(reply)
        #expect(object["token_type"] == "Bearer")
        #expect(object["expires_in"] == 600)
        #expect(object["refresh_token"]?.stringValue?.utf8.count == 43)
        #expect(!String(decoding: reply.body, as: UTF8.self).contains(testPassword))
        let token = try #require(object["access_token"]?.stringValue)

        // HMAC keys are not published; the test builds that verifier from the secret itself.
        let verifier =
            algorithm == .HS256
            ? TokenVerifier(
                issuers: IssuerSet([
                    IssuerProfile(
                        name: "gateway", issuer: "https://gateway.test", audiences: ["legacy-api"],
                        keys: [try fixture.key.publicKey()])
                ]))
            : try fixture.verifier()
        let verified = try verifier.verify(token, now: UnixTime.now()).get()
        let claims = verified.claims
        #expect(claims["iss"] == "https://gateway.test")
        #expect(claims["sub"] == "alice")
        #expect(claims["aud"] == "legacy-api")
        #expect(claims["roles"] == ["admin", "reader"])
        let jti = try #require(claims["jti"]?.stringValue)
        #expect(Base64URL.decode(jti)?.count == 16)
        let iat = try #require(claims["iat"]?.numberValue?.int64)
        #expect(claims["nbf"]?.numberValue?.int64 == iat)
        #expect(claims["exp"]?.numberValue?.int64 == iat + 600)
        // Issued during the login, however long a loaded machine took to answer it.
        #expect(iat >= before && iat <= after)
        #expect(claims.members.map(\.key) == ["iss", "sub", "aud", "roles", "jti", "iat", "nbf", "exp"])

        let header = try #require(Base64URL.decode(String(token.split(separator: ".")[0])))
        #expect(
            String(decoding: header, as: UTF8.self) == #"{"alg":"\#(algorithm.rawValue)","typ":"JWT","kid":"gw-1"}"#)
    }

    @Test func optionalClaimsAndAudiencesFollowTheSettings() async throws {
        let none = try IssuerFixture(
            audiences: [], includeIssuedAt: false, includeNotBefore: false, includeRoles: false)
        let bare = try await claims(of: none.login())
        #expect(bare.members.map(\.key) == ["iss", "sub", "jti", "exp"])

        let several = try IssuerFixture(audiences: ["a", "b"])
        #expect(try await claims(of: several.login())["aud"] == ["a", "b"])
    }

    @Test(arguments: [
        ("alice", "wrong password entirely"), ("nobody", testPassword), ("carol", testPassword), ("", ""),
        ("not a valid name!", testPassword),
    ])
    func badLoginsAreAllInvalidCredentials(username: String, password: String) async throws {
        let fixture = try IssuerFixture(users: [("alice", ["admin"]), ("carol", [])])
        try UserStore(database: try fixture.openDatabase(), hasher: try PasswordHasher(parameters: testScrypt))
            .disable(username: "carol", now: 0)
        let reply = await fixture.login(username, password)
        #expect(reply.status == 401)
        #expect(reply.error == "invalid_credentials")
        #expect(document(reply) == ["error": "invalid_credentials", "message": "The username or password is incorrect."])
    }

    @Test func successfulLoginRehashesAWeakerStoredHash() async throws {
        let fixture = try IssuerFixture(users: [])
        let database = try fixture.openDatabase()
        try UserStore(database: database, hasher: try PasswordHasher(parameters: ScryptParameters(logN: 3, r: 1, p: 1)))
            .add(username: "dave", password: testPassword, roles: [], now: 0)
        #expect(await fixture.login("dave").status == 200)
        let stored = try #require(try UserStore(database: database, hasher: try PasswordHasher(parameters: testScrypt))
            .find(username: "dave"))
        #expect(stored.passwordHash.hasPrefix("$scrypt$ln=4,r=1,p=1$"))
    }

    @Test func jwksPublishesOnlyPublicKeys() throws {
        let ec = try IssuerFixture(algorithm: .ES256)
        let keys = try JWKS.parse(ec.service.jwksDocument)
        #expect(keys.map(\.kid) == ["gw-1"])
        #expect(keys.map(\.algorithm) == [.ES256])
        let hmac = try IssuerFixture(algorithm: .HS256)
        #expect(String(decoding: hmac.service.jwksDocument, as: UTF8.self) == #"{"keys":[]}"#)
    }

    @Test func invalidRegistrationRoleIsRefusedAtStart() throws {
        let directory = TemporaryDirectory()
        let mirror = try RevocationMirror(
            databasePath: directory.databasePath, pollInterval: .seconds(1), pruneInterval: .seconds(60))
        let settings = IssuerSettings(
            iss: "https://gateway.test", signingKey: try KeyGenerator.signingKey(.ES256), registerEnabled: true,
            registerRoles: ["bad,role"], scrypt: testScrypt, databasePath: directory.databasePath)
        #expect(throws: StoreError.invalid(field: "role", value: "bad,role")) {
            try IssuerService(settings: settings, revocations: mirror)
        }
    }

    private func claims(of reply: IssuerReply) throws -> JSONObject {
        let token = try #require(string(reply, "access_token"))
        let payload = try #require(Base64URL.decode(String(token.split(separator: ".")[1])))
        return try #require(try JSONParser.parse(payload).objectValue)
    }
}
