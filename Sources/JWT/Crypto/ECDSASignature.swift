import COpenSSL

/// Conversions between the JWS ECDSA form (fixed-width big-endian r||s, RFC 7518 §3.4) and the DER form OpenSSL uses.
enum ECDSASignature {
    /// Largest DER encoding of r, s below a 528-bit order: 3-byte sequence header + 2 × (2 + 67) = 141 bytes.
    static let derCapacity = 160

    /// True when the big-endian scalar is in [1, n-1]. Public data, so the comparison need not be constant time.
    static func isInRange(_ scalar: UnsafePointer<UInt8>, order: [UInt8]) -> Bool {
        var isZero = true
        for index in order.indices where scalar[index] != 0 {
            isZero = false
            break
        }
        if isZero { return false }
        for index in order.indices where scalar[index] != order[index] {
            return scalar[index] < order[index]
        }
        return false
    }

    static func raw(fromDER der: [UInt8], coordinateSize: Int) throws(KeyError) -> [UInt8] {
        let signature = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, buffer.count)
        }
        guard let signature else { throw KeyError("OpenSSL produced an unreadable ECDSA signature") }
        defer { ECDSA_SIG_free(signature) }
        var r: OpaquePointer?
        var s: OpaquePointer?
        ECDSA_SIG_get0(signature, &r, &s)
        var raw = [UInt8](repeating: 0, count: 2 * coordinateSize)
        let written = raw.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            let width = Int32(coordinateSize)
            return BN_bn2binpad(r, base, width) == width && BN_bn2binpad(s, base + coordinateSize, width) == width
        }
        guard written else { throw KeyError("ECDSA signature does not fit the curve size") }
        return raw
    }
}
