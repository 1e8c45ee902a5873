import COpenSSL

/// Per-thread verification state: fetched digests, reusable buffers and one prepared OpenSSL context
/// per key. Not Sendable on purpose: each worker owns one, so nothing here needs a lock.
public final class CryptoContext {
    /// Keys rotate rarely; dropping the whole cache when full is simpler than LRU and costs one re-setup per key.
    static let maximumCachedKeys = 128
    private static let digestCapacity = Int(EVP_MAX_MD_SIZE)

    private var states: [ObjectIdentifier: KeyState] = [:]
    private var last: KeyState?
    private let digests: [OpaquePointer]
    private let hmac: OpaquePointer
    private let digestContext: OpaquePointer
    private let edwardsContext: OpaquePointer
    private let digestBuffer: UnsafeMutablePointer<UInt8>
    private let derBuffer: UnsafeMutablePointer<UInt8>
    private let ecdsaSignature: OpaquePointer
    private let r: OpaquePointer
    private let s: OpaquePointer

    public init() {
        // Fetching once per thread avoids OpenSSL 3's implicit fetch (a locked lookup) on every call.
        let fetched = Digest.allCases.compactMap { EVP_MD_fetch(nil, $0.name, nil) }
        guard fetched.count == Digest.allCases.count, let mac = EVP_MAC_fetch(nil, "HMAC", nil),
            let digestContext = EVP_MD_CTX_new(), let edwardsContext = EVP_MD_CTX_new(),
            let signature = ECDSA_SIG_new(), let r = BN_new(), let s = BN_new(), ECDSA_SIG_set0(signature, r, s) == 1
        else { preconditionFailure("OpenSSL default provider lacks SHA-2 or HMAC, or memory is exhausted") }
        digests = fetched
        hmac = mac
        self.digestContext = digestContext
        self.edwardsContext = edwardsContext
        ecdsaSignature = signature
        self.r = r
        self.s = s
        digestBuffer = .allocate(capacity: Self.digestCapacity)
        derBuffer = .allocate(capacity: ECDSASignature.derCapacity)
    }

    deinit {
        digests.forEach { EVP_MD_free($0) }
        EVP_MAC_free(hmac)
        EVP_MD_CTX_free(digestContext)
        EVP_MD_CTX_free(edwardsContext)
        ECDSA_SIG_free(ecdsaSignature)
        OPENSSL_cleanse(digestBuffer, Self.digestCapacity)
        digestBuffer.deallocate()
        derBuffer.deallocate()
    }

    /// True only if `signature` is a valid signature of `signingInput` under `key` and its pinned algorithm.
    public func verify(_ key: VerificationKey, signingInput: UnsafeRawBufferPointer, signature: UnsafeRawBufferPointer) -> Bool {
        let valid: Bool
        switch key.material {
        case .secret:
            valid = verifyHMAC(key, signingInput, signature)
        case .rsa(_, let modulusBytes):
            // RFC 8017 §8.2.2 step 1: a signature of any other length is invalid, whatever its value.
            valid = signature.count == modulusBytes && verifyPrehashed(key, signingInput, signature)
        case .ec(_, let curve, let order):
            valid = verifyECDSA(key, curve: curve, order: order, signingInput, signature)
        case .ed25519(let pkey):
            valid = verifyEd25519(pkey, signingInput, signature)
        }
        // Failed checks leave entries in the thread's error queue; a later, unrelated call must not see them.
        if !valid { ERR_clear_error() }
        return valid
    }

    private func verifyHMAC(_ key: VerificationKey, _ input: UnsafeRawBufferPointer, _ signature: UnsafeRawBufferPointer) -> Bool {
        // JWS compares the full MAC: a truncated or padded tag is invalid, checked before any comparison.
        guard let digest = key.algorithm.digest, signature.count == digest.length,
            let expected = signature.baseAddress, let state = state(for: key)
        else { return false }
        var length = 0
        guard EVP_MAC_init(state.context, nil, 0, nil) == 1,
            EVP_MAC_update(state.context, bytes(input), input.count) == 1,
            EVP_MAC_final(state.context, digestBuffer, &length, Self.digestCapacity) == 1,
            length == digest.length
        else { return false }
        // Constant time, so response timing reveals nothing about how many MAC bytes matched.
        return CRYPTO_memcmp(digestBuffer, expected, length) == 0
    }

    private func verifyECDSA(
        _ key: VerificationKey, curve: ECCurve, order: [UInt8],
        _ input: UnsafeRawBufferPointer, _ signature: UnsafeRawBufferPointer
    ) -> Bool {
        let size = curve.coordinateSize
        // Only the fixed-width r||s form is a JWS signature; DER or short forms are rejected (RFC 7518 §3.4).
        guard signature.count == 2 * size, let base = signature.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            return false
        }
        // CVE-2022-21449 ("psychic signatures"): r or s of 0, or not below n, must never reach the math.
        guard ECDSASignature.isInRange(base, order: order), ECDSASignature.isInRange(base + size, order: order),
            BN_bin2bn(base, Int32(size), r) != nil, BN_bin2bn(base + size, Int32(size), s) != nil
        else { return false }
        // r, s < 2^528, so the encoding fits derCapacity (see ECDSASignature.derCapacity).
        var cursor: UnsafeMutablePointer<UInt8>? = derBuffer
        let derLength = i2d_ECDSA_SIG(ecdsaSignature, &cursor)
        guard derLength > 0, Int(derLength) <= ECDSASignature.derCapacity else { return false }
        return verifyPrehashed(key, input, UnsafeRawBufferPointer(start: derBuffer, count: Int(derLength)))
    }

    /// RSA and ECDSA: hash with the reused digest context, then verify with the key's prepared context.
    private func verifyPrehashed(_ key: VerificationKey, _ input: UnsafeRawBufferPointer, _ signature: UnsafeRawBufferPointer) -> Bool {
        guard let digest = key.algorithm.digest, let signed = signature.baseAddress, let state = state(for: key) else {
            return false
        }
        var length: UInt32 = 0
        guard EVP_DigestInit_ex2(digestContext, digests[digest.rawValue], nil) == 1,
            EVP_DigestUpdate(digestContext, bytes(input), input.count) == 1,
            EVP_DigestFinal_ex(digestContext, digestBuffer, &length) == 1,
            Int(length) == digest.length
        else { return false }
        return EVP_PKEY_verify(
            state.context, signed.assumingMemoryBound(to: UInt8.self), signature.count, digestBuffer, Int(length)) == 1
    }

    private func verifyEd25519(_ key: PKey, _ input: UnsafeRawBufferPointer, _ signature: UnsafeRawBufferPointer) -> Bool {
        // Ed25519 hashes internally, so OpenSSL needs a fresh one-shot init per message (no reusable key context).
        guard signature.count == 64, let signed = signature.baseAddress else { return false }
        _ = EVP_MD_CTX_reset(edwardsContext)
        guard EVP_DigestVerifyInit_ex(edwardsContext, nil, nil, nil, nil, key.pointer, nil) == 1 else { return false }
        return EVP_DigestVerify(
            edwardsContext, signed.assumingMemoryBound(to: UInt8.self), signature.count, bytes(input), input.count) == 1
    }

    private func state(for key: VerificationKey) -> KeyState? {
        if let last, last.key === key { return last }
        let id = ObjectIdentifier(key)
        if let found = states[id] {
            last = found
            return found
        }
        guard let made = KeyState(key, hmac: hmac, digests: digests) else { return nil }
        if states.count >= Self.maximumCachedKeys { states.removeAll(keepingCapacity: true) }
        states[id] = made
        last = made
        return made
    }

    /// OpenSSL wants a non-null pointer even for zero bytes; an empty input gets a valid dummy address.
    private func bytes(_ buffer: UnsafeRawBufferPointer) -> UnsafePointer<UInt8> {
        guard let base = buffer.baseAddress else { return UnsafePointer(digestBuffer) }
        return base.assumingMemoryBound(to: UInt8.self)
    }
}
