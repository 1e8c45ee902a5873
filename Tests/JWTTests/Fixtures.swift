import Glibc
import JSON

@testable import JWT

/// Shared keys, clocks and token builders for the JWT tests.
enum Fixtures {
    static let now: Int64 = 1_700_000_000
    static let issuer = "https://issuer.example"
    static let secret = Array("test-secret-that-is-long-enough-for-HS256!".utf8)
    static let otherSecret = Array("another-secret-that-is-long-enough-for-HS256".utf8)

    /// Reads `Resources/jose/<name>` next to this file (no Foundation, no bundle lookup).
    static func resource(_ name: String, file: String = #filePath) -> [UInt8] {
        let directory = file.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let path = directory + "/Resources/jose/" + name
        guard let handle = fopen(path, "rb") else { return [] }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let read = fread(&chunk, 1, chunk.count, handle)
            if read <= 0 { break }
            bytes += chunk[0..<read]
        }
        return bytes
    }

    static func hmacKey(_ secret: [UInt8] = secret, kid: String? = nil, algorithm: Algorithm = .HS256) throws
        -> VerificationKey
    {
        try KeyLoader.hmacSecret(secret, algorithm: algorithm, kid: kid)
    }

    static func hmacSigner(_ secret: [UInt8] = secret, kid: String? = nil, algorithm: Algorithm = .HS256) throws
        -> SigningKey
    {
        try KeyLoader.hmacSigningKey(secret, algorithm: algorithm, kid: kid)
    }

    static func claims(
        iss: String = issuer, exp: Int64? = now + 300, extra: [(String, JSONValue)] = []
    ) -> JSONObject {
        var object = JSONObject()
        object["iss"] = .string(iss)
        object["sub"] = "alice"
        if let exp { object["exp"] = .number(JSONNumber(exp)) }
        object["iat"] = .number(JSONNumber(now - 10))
        for (key, value) in extra { object[key] = value }
        return object
    }

    /// A token with a hand-written header and payload, signed by `key` over exactly those bytes.
    static func rawToken(header: String, payload: String, key: SigningKey) throws -> String {
        var input: [UInt8] = []
        Base64URL.encode(Array(header.utf8), into: &input)
        input.append(UInt8(ascii: "."))
        Base64URL.encode(Array(payload.utf8), into: &input)
        let signature = try key.sign(input)
        return String(decoding: input, as: UTF8.self) + "." + Base64URL.encode(signature)
    }

    static func profile(
        keys: [VerificationKey], audiences: [String] = [], leeway: Int64 = 30, requireExp: Bool = true,
        maxAge: Int64? = nil, requiredTyp: String? = nil, issuer: String = issuer
    ) -> IssuerProfile {
        IssuerProfile(
            name: "test", issuer: issuer, audiences: audiences, keys: keys, leeway: leeway, requireExp: requireExp,
            maxAge: maxAge, requiredTyp: requiredTyp)
    }

    static func verifier(_ profiles: IssuerProfile..., cacheCapacity: Int = 100) -> TokenVerifier {
        TokenVerifier(issuers: IssuerSet(profiles), cacheCapacity: cacheCapacity)
    }
}

extension Result where Failure == JWTError {
    var error: JWTError? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
