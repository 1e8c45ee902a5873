import JSON

/// Issues compact JWS tokens; used by `gateway token` and by tests, never on the request path.
public enum TokenSigner {
    /// Header is `{"alg", "typ", "kid"}` (typ and kid omitted when nil).
    public static func sign(claims: JSONObject, key: SigningKey, typ: String? = "JWT") throws(KeyError) -> String {
        var header = JSONObject()
        header["alg"] = .string(key.algorithm.rawValue)
        if let typ { header["typ"] = .string(typ) }
        if let kid = key.kid { header["kid"] = .string(kid) }
        var headerJSON: [UInt8] = []
        JSONWriter.serialize(header, to: &headerJSON)
        var payloadJSON: [UInt8] = []
        JSONWriter.serialize(claims, to: &payloadJSON)

        var token: [UInt8] = []
        Base64URL.encode(headerJSON, into: &token)
        token.append(UInt8(ascii: "."))
        Base64URL.encode(payloadJSON, into: &token)
        let signature = try key.sign(token)
        token.append(UInt8(ascii: "."))
        Base64URL.encode(signature, into: &token)
        return String(decoding: token, as: UTF8.self)
    }
}
