import Glibc
import JSON
import JWT

// Property of TokenVerifier: nothing unsigned or mis-signed is ever accepted. Every token it accepts must carry a
// signature that one of the configured keys verifies directly through a separate CryptoContext, and the token's header
// `alg` (and `kid`, when present) must name that very key. The first input byte picks how the rest is used:
//   low 3 bits: 0 raw token; 1/2/3 base64url(rest) replaces the header/payload/signature of a valid token; 4 rest is
//   inserted raw into a valid token; 5/6 base64url(rest) is the header, re-signed with the HS256/ES256 key (algorithm
//   confusion with genuine signatures); 7 base64url(rest) is the payload, re-signed with the token's own key.
//   bit 3: the valid token is the HS256 one (0) or the ES256 one (1).

/// Release builds drop a precondition's message, so the violated property is written to stderr before trapping.
func violated(_ property: String) -> Never {
    var line = "property violated: \(property)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    preconditionFailure(property)
}

enum Fixture {
    static let issuer = "https://issuer.fuzz"
    static let now: Int64 = 1_700_000_000
    static let hmac = makeSigningKey(.HS256, kid: "hs")
    static let ecdsa = makeSigningKey(.ES256, kid: "es")
    static let keys = [publicKey(hmac), publicKey(ecdsa)]
    static let tokens = [makeToken(hmac), makeToken(ecdsa)]
    // libFuzzer calls the entry point from one thread only, so these single-threaded objects are never shared.
    nonisolated(unsafe) static let verifier = TokenVerifier(
        issuers: IssuerSet([IssuerProfile(name: "fuzz", issuer: issuer, audiences: ["api"], keys: keys)]))
    nonisolated(unsafe) static let crypto = CryptoContext()

    static func makeSigningKey(_ algorithm: Algorithm, kid: String) -> SigningKey {
        do {
            return try KeyGenerator.signingKey(algorithm, kid: kid)
        } catch {
            preconditionFailure("cannot generate the \(algorithm) fuzz key: \(error)")
        }
    }

    static func publicKey(_ key: SigningKey) -> VerificationKey {
        do {
            return try key.publicKey()
        } catch {
            preconditionFailure("cannot export the \(key.algorithm) fuzz key: \(error)")
        }
    }

    static func makeToken(_ key: SigningKey) -> [UInt8] {
        let claims = JSONObject(members: [
            (key: "iss", value: .string(issuer)), (key: "aud", value: "api"), (key: "sub", value: "fuzzer"),
            (key: "iat", value: .number(JSONNumber(now - 10))), (key: "exp", value: .number(JSONNumber(now + 3600))),
        ])
        do {
            return Array(try TokenSigner.sign(claims: claims, key: key).utf8)
        } catch {
            preconditionFailure("cannot sign the \(key.algorithm) fuzz token: \(error)")
        }
    }
}

/// The token's three segments, split at its dots; nil unless there are exactly two dots.
func segments(_ token: [UInt8]) -> [ArraySlice<UInt8>]? {
    let parts = token.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    return parts.count == 3 ? parts : nil
}

func joined(_ parts: [ArraySlice<UInt8>]) -> [UInt8] {
    Array(parts.joined(separator: [UInt8(ascii: ".")]))
}

func encoded(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    var out: [UInt8] = []
    Base64URL.encode(bytes, into: &out)
    return out[...]
}

func signed(header: ArraySlice<UInt8>, payload: ArraySlice<UInt8>, with key: SigningKey) -> [UInt8] {
    let input = joined([header, payload])
    do {
        return joined([input[...], encoded(try key.sign(input)[...])])
    } catch {
        preconditionFailure("signing failed: \(error)")
    }
}

func token(from input: [UInt8]) -> [UInt8] {
    guard let selector = input.first else { return [] }
    let rest = input.dropFirst()
    guard let valid = segments(Fixture.tokens[Int(selector >> 3) & 1]) else { preconditionFailure("fuzz token is malformed") }
    switch selector & 7 {
    case 1: return joined([encoded(rest), valid[1], valid[2]])
    case 2: return joined([valid[0], encoded(rest), valid[2]])
    case 3: return joined([valid[0], valid[1], encoded(rest)])
    case 4:
        let token = joined(valid)
        let at = Int(rest.first ?? 0) % (token.count + 1)
        return Array(token[..<at] + rest.dropFirst() + token[at...])
    case 5: return signed(header: encoded(rest), payload: valid[1], with: Fixture.hmac)
    case 6: return signed(header: encoded(rest), payload: valid[1], with: Fixture.ecdsa)
    case 7: return signed(header: valid[0], payload: encoded(rest), with: selector & 8 == 0 ? Fixture.hmac : Fixture.ecdsa)
    default: return Array(rest)
    }
}

func checkAccepted(_ token: [UInt8]) {
    guard let parts = segments(token) else { violated("accepted a token without three segments") }
    guard let headerJSON = Base64URL.decode(Array(parts[0])), case .object(let header)? = try? JSONParser.parse(headerJSON),
        let alg = header["alg"]?.stringValue
    else { violated("accepted a token whose header has no readable alg") }
    guard let signature = Base64URL.decode(Array(parts[2])) else {
        violated("accepted a token whose signature is not base64url")
    }
    let signingInput = joined([parts[0], parts[1]])
    let kid: String?? = header["kid"].map { $0.stringValue }
    let verifying = Fixture.keys.filter { key in
        signingInput.withUnsafeBytes { input in
            signature.withUnsafeBytes { Fixture.crypto.verify(key, signingInput: input, signature: $0) }
        }
    }
    guard !verifying.isEmpty else { violated("accepted a token no configured key signed") }
    guard verifying.contains(where: { $0.algorithm.rawValue == alg && (kid == nil || kid == .some($0.kid)) }) else {
        violated("accepted a token whose alg \(alg) or kid does not name the key that signed it")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let candidate = token(from: Array(UnsafeBufferPointer(start: data, count: size)))
    let result = candidate.withUnsafeBytes { Fixture.verifier.verify($0, now: Fixture.now) }
    if case .success = result { checkAccepted(candidate) }
    return 0
}
