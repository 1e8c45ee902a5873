import JSON
import JWT

/// Builds and signs the issuer's access tokens with the claims the settings select.
struct AccessTokenMinter {
    let settings: IssuerSettings

    func sign(subject: String, roles: [String], now: Int64) throws(KeyError) -> String {
        var claims = JSONObject()
        claims["iss"] = .string(settings.iss)
        claims["sub"] = .string(subject)
        switch settings.audiences.count {
        case 0: break
        case 1: claims["aud"] = .string(settings.audiences[0])
        default: claims["aud"] = .array(settings.audiences.map { .string($0) })
        }
        if settings.includeRoles { claims[settings.rolesClaim] = .array(roles.map { .string($0) }) }
        // 128 random bits: unguessable, so one token's revocation cannot be aimed at another's jti.
        claims["jti"] = .string(Base64URL.encode(try KeyGenerator.randomSecret(bytes: 16)))
        if settings.includeIssuedAt { claims["iat"] = .number(JSONNumber(now)) }
        if settings.includeNotBefore { claims["nbf"] = .number(JSONNumber(now)) }
        claims["exp"] = .number(JSONNumber(now + settings.accessTTL))
        return try TokenSigner.sign(claims: claims, key: settings.signingKey)
    }
}
