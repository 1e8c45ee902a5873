import EventLoop
import JSON
import JWT
import Testing

@testable import LoadTest

@Suite struct TokenPoolTests {
    static let now: Int64 = 1_700_000_000
    static let secret = Array("0123456789abcdef0123456789abcdef".utf8)

    /// Signs the claims with a real HS256 key, as the CLI does with the config's keys.
    static func sign(_ c: TokenClaims) throws(LoadError) -> String {
        do throws(KeyError) {
            let key = try KeyLoader.hmacSigningKey(secret, algorithm: .HS256, kid: nil)
            var claims = JSONObject()
            claims["iss"] = "https://issuer.test"
            claims["sub"] = .string(c.subject)
            claims["roles"] = .array(c.roles.map { .string($0) })
            claims["iat"] = .number(JSONNumber(c.issuedAt))
            claims["exp"] = .number(JSONNumber(c.expiresAt))
            claims["jti"] = .string(String(UInt64.random(in: 0 ... .max)))
            return try TokenSigner.sign(claims: claims, key: key)
        } catch {
            throw LoadError(error.message)
        }
    }

    static func verifier() throws -> TokenVerifier {
        let key = try KeyLoader.hmacSecret(secret, algorithm: .HS256, kid: nil)
        return TokenVerifier(issuers: IssuerSet([IssuerProfile(name: "t", issuer: "https://issuer.test", keys: [key])]))
    }

    @Test func mintsEachClassSoTheVerifierSaysWhatTheClassMeans() throws {
        let mix = try TokenMix(parsing: "valid:90,expired:4,bad-signature:3,wrong-role:2,missing:1")
        var claimsSeen: [TokenClaims] = []
        let pool = try TokenPool.mint(
            for: mix, settings: TokenSettings(subject: "bob", roles: ["reader"], wrongRoles: ["guest"], distinctValid: 7),
            now: Self.now
        ) { (c) throws(LoadError) in
            claimsSeen.append(c)
            return try Self.sign(c)
        }
        #expect(pool.tokens(for: .valid).count == 7)
        #expect(Set(pool.tokens(for: .valid)).count == 7)
        #expect(pool.tokens(for: .expired).count == 4)
        #expect(pool.tokens(for: .badSignature).count == 4)
        #expect(pool.tokens(for: .wrongRole).count == 4)
        #expect(pool.tokens(for: .missing).isEmpty)
        #expect(claimsSeen.filter { $0.roles == ["guest"] }.count == 4)
        #expect(claimsSeen.filter { $0.expiresAt < Self.now - 600 && $0.issuedAt < $0.expiresAt }.count == 4)

        let verifier = try Self.verifier()
        func verify(_ t: String) -> Result<VerifiedToken, JWTError> {
            Array(t.utf8).withUnsafeBytes { verifier.verify($0, now: Self.now) }
        }
        for t in pool.tokens(for: .valid) + pool.tokens(for: .wrongRole) {
            guard case .success = verify(t) else { Issue.record("\(t) should verify"); continue }
        }
        for t in pool.tokens(for: .expired) {
            guard case .failure(.expired) = verify(t) else { Issue.record("\(t) should be expired"); continue }
        }
        for t in pool.tokens(for: .badSignature) {
            guard case .failure(.badSignature) = verify(t) else { Issue.record("\(t): \(verify(t))"); continue }
        }
    }

    @Test func corruptSignatureChangesOneMiddleCharacter() throws {
        let token = "aaa.bbb.ABCDEFGHIJ"
        let bad = try TokenPool.corruptSignature(token)
        #expect(bad == "aaa.bbb.ABCDEAGHIJ")
        #expect(try TokenPool.corruptSignature("aaa.bbb.AAAAAAAA") == "aaa.bbb.AAAABAAA")
        #expect(throws: LoadError.self) { try TokenPool.corruptSignature("aaa.bbb.") }
    }

    @Test func signerErrorsPropagate() throws {
        let mix = try TokenMix(parsing: "valid:1")
        #expect(throws: LoadError("no key")) {
            try TokenPool.mint(for: mix, settings: TokenSettings(), now: Self.now) { (_) throws(LoadError) in throw LoadError("no key") }
        }
    }
}
