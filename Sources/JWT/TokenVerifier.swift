import JSON

/// Verifies compact JWS bearer tokens against the configured issuers.
///
/// One per worker thread: it owns a crypto context, decode buffers and a verified-token cache, none
/// of which are shared, so verification takes no locks.
public final class TokenVerifier {
    public let issuers: IssuerSet
    public let maxTokenBytes: Int
    /// Without `kid`, at most this many keys of the right algorithm are tried, so a token cannot make
    /// the gateway run many signature checks.
    static let maxKeyAttempts = 4

    private let cache: TokenCache
    private let crypto = CryptoContext()
    private var headerBuffer: [UInt8] = []
    private var payloadBuffer: [UInt8] = []
    private var signatureBuffer: [UInt8] = []
    /// This worker's copy of each remote issuer's keys (indexed like `issuers.profiles`) and the
    /// `KeySet.version` it was taken at; -1 until first use.
    private var remoteKeys: [[VerificationKey]]
    private var remoteVersions: [Int]

    public init(issuers: IssuerSet, cacheCapacity: Int = 10_000, maxTokenBytes: Int = 8192) {
        self.issuers = issuers
        self.maxTokenBytes = maxTokenBytes
        cache = TokenCache(capacity: cacheCapacity)
        remoteKeys = Array(repeating: [], count: issuers.profiles.count)
        remoteVersions = Array(repeating: -1, count: issuers.profiles.count)
    }

    public var cacheHits: UInt64 { cache.hits }
    public var cacheMisses: UInt64 { cache.misses }
    public var cachedTokens: Int { cache.count }

    /// Verifies `token` (the bytes after "Bearer ") at Unix time `now`. `allowedIssuers` restricts
    /// which issuer indexes a route accepts; nil accepts any configured issuer.
    public func verify(_ token: UnsafeRawBufferPointer, now: Int64, allowedIssuers: [Int]? = nil) -> Result<
        VerifiedToken, JWTError
    > {
        do throws(JWTError) {
            return .success(try verifyThrowing(token, now: now, allowedIssuers: allowedIssuers))
        } catch {
            return .failure(error)
        }
    }

    public func verify(_ token: String, now: Int64, allowedIssuers: [Int]? = nil) -> Result<VerifiedToken, JWTError> {
        var copy = token
        return copy.withUTF8 { verify(UnsafeRawBufferPointer($0), now: now, allowedIssuers: allowedIssuers) }
    }

    private func verifyThrowing(_ token: UnsafeRawBufferPointer, now: Int64, allowedIssuers: [Int]?) throws(JWTError)
        -> VerifiedToken
    {
        guard token.count <= maxTokenBytes else { throw .tooLong }
        let cacheKey = TokenCache.key(for: token)
        if let (cached, keyVersion) = cache.lookupEntry(token, key: cacheKey) {
            try checkAllowed(cached.issuerIndex, allowedIssuers)
            let profile = issuers.profiles[cached.issuerIndex]
            // Remote keys changed since this token was verified: its key may be gone, so the entry is
            // dropped and the token verified again below.
            if let set = profile.keySet, set.version != keyVersion {
                cache.remove(key: cacheKey)
                cache.recountAsMiss()
            } else {
                do throws(JWTError) {
                    try checkTimes(cached, profile: profile, now: now)
                } catch {
                    if error == .expired { cache.remove(key: cacheKey) }
                    throw error
                }
                return cached
            }
        }

        let jws = try CompactJWS.split(token)
        let header = try JOSEHeader(try decodeObject(token, jws.header, into: &headerBuffer, what: "header"))

        // When only one issuer can apply (one configured, or the route accepts one), its keys are known
        // before the payload is read: the signature is checked first and the claims of a token that is not
        // signed by that issuer are never parsed, so a flood of forged tokens costs one signature check
        // each. The payload's `iss` must still name that issuer.
        if let only = singleIssuer(allowedIssuers) {
            let profile = issuers.profiles[only]
            if let required = profile.requiredTyp, !JOSEHeader.typMatches(header.typ, required: required) {
                throw .typMismatch
            }
            let keyVersion = try checkSignature(token, jws, header: header, issuerIndex: only, profile: profile)
            let claims = try decodeObject(token, jws.payload, into: &payloadBuffer, what: "payload")
            guard let issValue = claims["iss"] else { throw .missingClaim("iss") }
            guard let iss = issValue.stringValue else { throw .invalidClaim("iss") }
            guard iss.utf8.elementsEqual(profile.issuer.utf8) else {
                throw issuers.index(of: iss) == nil ? .unknownIssuer : .issuerNotAllowed
            }
            let verified = try readClaims(claims, issuerIndex: only, profile: profile)
            try checkTimes(verified, profile: profile, now: now)
            cache.insert(token, key: cacheKey, value: verified, keyVersion: keyVersion)
            return verified
        }

        let claims = try decodeObject(token, jws.payload, into: &payloadBuffer, what: "payload")

        // The issuer picks the trust anchor, so it is resolved before any key is looked at; keys of
        // one issuer can never verify a token claiming another.
        guard let issValue = claims["iss"] else { throw .missingClaim("iss") }
        guard let iss = issValue.stringValue else { throw .invalidClaim("iss") }
        guard let issuerIndex = issuers.index(of: iss) else { throw .unknownIssuer }
        try checkAllowed(issuerIndex, allowedIssuers)
        let profile = issuers.profiles[issuerIndex]
        if let required = profile.requiredTyp, !JOSEHeader.typMatches(header.typ, required: required) {
            throw .typMismatch
        }

        let keyVersion = try checkSignature(token, jws, header: header, issuerIndex: issuerIndex, profile: profile)

        let verified = try readClaims(claims, issuerIndex: issuerIndex, profile: profile)
        try checkTimes(verified, profile: profile, now: now)
        cache.insert(token, key: cacheKey, value: verified, keyVersion: keyVersion)
        return verified
    }

    /// The one issuer a token can be verified against, when there is exactly one.
    private func singleIssuer(_ allowed: [Int]?) -> Int? {
        if let allowed { return allowed.count == 1 ? allowed[0] : nil }
        return issuers.profiles.count == 1 ? 0 : nil
    }

    private func checkAllowed(_ issuerIndex: Int, _ allowed: [Int]?) throws(JWTError) {
        if let allowed, !allowed.contains(issuerIndex) { throw .issuerNotAllowed }
    }

    private func decodeObject(
        _ token: UnsafeRawBufferPointer, _ range: Range<Int>, into buffer: inout [UInt8], what: String
    ) throws(JWTError) -> JSONObject {
        guard Base64URL.decode(UnsafeRawBufferPointer(rebasing: token[range]), into: &buffer) else {
            throw .malformed("\(what) is not base64url")
        }
        let parsed = buffer.withUnsafeBytes { raw in Result { () throws(JSONError) in try JSONParser.parse(raw) } }
        guard case .success(.object(let object)) = parsed else { throw .malformed("\(what) is not a JSON object") }
        return object
    }

    /// Checks the signature with the issuer's keys and returns the key-set version they belong to (0 for
    /// static keys). An unknown `kid` of a remote issuer may be a key rotation: the fetcher is asked for a
    /// refetch (it coalesces and rate-limits these), and this token still fails.
    private func checkSignature(
        _ token: UnsafeRawBufferPointer, _ jws: CompactJWS, header: JOSEHeader, issuerIndex: Int, profile: IssuerProfile
    ) throws(JWTError) -> Int {
        guard let set = profile.keySet else {
            try checkSignature(token, jws, header: header, keys: profile.keys)
            return 0
        }
        if set.version != remoteVersions[issuerIndex] {
            let current = set.current()
            remoteKeys[issuerIndex] = current.keys
            remoteVersions[issuerIndex] = current.version
        }
        guard !remoteKeys[issuerIndex].isEmpty else {
            set.requestRefresh()
            throw .keysUnavailable
        }
        do throws(JWTError) {
            try checkSignature(token, jws, header: header, keys: remoteKeys[issuerIndex])
        } catch {
            if error == .unknownKey { set.requestRefresh() }
            throw error
        }
        return remoteVersions[issuerIndex]
    }

    /// The algorithm is pinned by the configured key: the header's `alg` only has to agree with it,
    /// so an RSA public key can never be used as an HMAC secret. `kid` is only a lookup string.
    private func checkSignature(
        _ token: UnsafeRawBufferPointer, _ jws: CompactJWS, header: JOSEHeader, keys: [VerificationKey]
    ) throws(JWTError) {
        var candidates = 0
        var sawKid = false
        guard Base64URL.decode(UnsafeRawBufferPointer(rebasing: token[jws.signature]), into: &signatureBuffer) else {
            throw .malformed("signature is not base64url")
        }
        let input = UnsafeRawBufferPointer(rebasing: token[jws.signingInput])
        for key in keys {
            if let kid = header.kid {
                guard let keyKid = key.kid, keyKid.utf8.elementsEqual(kid.utf8) else { continue }
                sawKid = true
            }
            guard key.algorithm == header.algorithm else { continue }
            candidates += 1
            let valid = signatureBuffer.withUnsafeBytes { crypto.verify(key, signingInput: input, signature: $0) }
            if valid { return }
            if candidates >= Self.maxKeyAttempts { break }
        }
        if header.kid != nil && !sawKid { throw .unknownKey }
        if candidates == 0 { throw .algorithmMismatch }
        throw .badSignature
    }

    private func readClaims(_ claims: JSONObject, issuerIndex: Int, profile: IssuerProfile) throws(JWTError)
        -> VerifiedToken
    {
        let token = VerifiedToken(
            issuerIndex: issuerIndex, claims: claims, subject: try optionalString("sub", claims),
            jti: try optionalString("jti", claims), expiresAt: try numericDate("exp", claims),
            notBefore: try numericDate("nbf", claims), issuedAt: try numericDate("iat", claims))
        if profile.requireExp && token.expiresAt == nil { throw .missingClaim("exp") }
        if profile.maxAge != nil && token.issuedAt == nil { throw .missingClaim("iat") }
        if !profile.audiences.isEmpty { try checkAudience(claims["aud"], profile.audiences) }
        return token
    }

    private func optionalString(_ name: String, _ claims: JSONObject) throws(JWTError) -> String? {
        guard let value = claims[name] else { return nil }
        guard let s = value.stringValue else { throw .invalidClaim(name) }
        return s
    }

    /// RFC 7519 §2: a NumericDate is a JSON number; "1700000000" as a string is refused rather than
    /// guessed at.
    private func numericDate(_ name: String, _ claims: JSONObject) throws(JWTError) -> Double? {
        guard let value = claims[name] else { return nil }
        guard let number = value.numberValue else { throw .invalidClaim(name) }
        return number.double
    }

    private func checkAudience(_ aud: JSONValue?, _ accepted: [String]) throws(JWTError) {
        switch aud {
        case nil:
            throw .missingClaim("aud")
        case .string(let s)?:
            guard accepted.contains(where: { $0.utf8.elementsEqual(s.utf8) }) else { throw .audienceMismatch }
        case .array(let values)?:
            var matched = false
            for value in values {
                guard let s = value.stringValue else { throw .invalidClaim("aud") }
                if accepted.contains(where: { $0.utf8.elementsEqual(s.utf8) }) { matched = true }
            }
            guard matched else { throw .audienceMismatch }
        default:
            throw .invalidClaim("aud")
        }
    }

    /// Run on every request, cached or not: a cached token must still expire on time.
    private func checkTimes(_ token: VerifiedToken, profile: IssuerProfile, now: Int64) throws(JWTError) {
        let late = Double(now) - Double(profile.leeway)
        let early = Double(now) + Double(profile.leeway)
        if let exp = token.expiresAt, exp <= late { throw .expired }
        if let nbf = token.notBefore, nbf > early { throw .notYetValid }
        if let iat = token.issuedAt {
            if iat > early { throw .issuedInFuture }
            if let maxAge = profile.maxAge, iat + Double(maxAge) < late { throw .tooOld }
        }
    }
}
