import JSON

/// The protected header fields the verifier acts on.
///
/// `jku`, `x5u`, `jwk` and `x5c` are ignored: keys come only from configuration, so a token can
/// never point the gateway at a key (no fetch, no embedded key is ever read). Ignoring them is
/// safe because they have no effect; rejecting them would break issuers that include `x5c`.
struct JOSEHeader {
    let algorithm: Algorithm
    let kid: String?
    let typ: String?

    init(_ header: JSONObject) throws(JWTError) {
        guard let algValue = header["alg"] else { throw .malformed("missing alg header") }
        guard let alg = algValue.stringValue else { throw .malformed("alg header is not a string") }
        // Any spelling of "none" is an unsigned token; refuse it by name so logs say why.
        if alg.lowercased() == "none" { throw .algorithmNone }
        guard let algorithm = Algorithm(rawValue: alg) else { throw .unsupportedAlgorithm(JWTError.loggable(alg)) }
        // RFC 7515 §4.1.11: a recipient must reject extensions it does not understand, and we
        // implement none. This also covers RFC 7797 `b64`, which must be listed in `crit`.
        if header["crit"] != nil { throw .critUnsupported }
        if let b64 = header["b64"], b64 != .bool(true) { throw .critUnsupported }
        var kid: String? = nil
        if let kidValue = header["kid"] {
            guard let s = kidValue.stringValue else { throw .malformed("kid header is not a string") }
            kid = s
        }
        var typ: String? = nil
        if let typValue = header["typ"] {
            guard let s = typValue.stringValue else { throw .malformed("typ header is not a string") }
            typ = s
        }
        self.algorithm = algorithm
        self.kid = kid
        self.typ = typ
    }

    /// RFC 7515 §4.1.9: media types compare case-insensitively and "application/" may be omitted.
    static func typMatches(_ typ: String?, required: String) -> Bool {
        guard let typ else { return false }
        return normalizedMediaType(typ) == normalizedMediaType(required)
    }

    private static func normalizedMediaType(_ s: String) -> String {
        let lower = s.lowercased()
        return lower.hasPrefix("application/") ? String(lower.dropFirst("application/".count)) : lower
    }
}
