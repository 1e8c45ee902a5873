/// The three segments of a JWS in compact serialization (RFC 7515 §7.1), as byte ranges of the token.
struct CompactJWS {
    let header: Range<Int>
    let payload: Range<Int>
    let signature: Range<Int>

    /// The bytes the signature covers: `BASE64URL(header) '.' BASE64URL(payload)`.
    var signingInput: Range<Int> { 0..<payload.upperBound }

    /// Exactly three non-empty segments. Five segments (JWE) and the JSON serializations are
    /// rejected: the gateway only accepts signed compact tokens.
    static func split(_ token: UnsafeRawBufferPointer) throws(JWTError) -> CompactJWS {
        var dots = (first: -1, second: -1)
        for i in 0..<token.count where token[i] == UInt8(ascii: ".") {
            if dots.first < 0 {
                dots.first = i
            } else if dots.second < 0 {
                dots.second = i
            } else {
                throw .malformed("expected three segments")
            }
        }
        guard dots.second > 0 else { throw .malformed("expected three segments") }
        let jws = CompactJWS(
            header: 0..<dots.first, payload: dots.first + 1..<dots.second, signature: dots.second + 1..<token.count)
        guard !jws.header.isEmpty, !jws.payload.isEmpty else { throw .malformed("empty segment") }
        // An empty signature is what `alg: none` tokens carry; never a valid signature here.
        guard !jws.signature.isEmpty else { throw .malformed("missing signature") }
        return jws
    }
}
