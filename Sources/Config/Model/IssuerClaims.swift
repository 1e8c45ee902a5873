/// Which claims the built-in issuer puts in access tokens (`issuer.claims`, a list of claim names).
public struct IssuerClaims: Sendable, Equatable, Decodable {
    public var includeRoles = true
    public var includeIssuedAt = true
    public var includeNotBefore = true
    public var jsonPath: String

    static let known = ["sub", "roles", "jti", "iat", "exp", "nbf"]
    /// Each with the reason the issuer cannot do without it.
    static let required = [
        ("sub", "routes, identity headers and revocations identify the user by sub"),
        ("jti", "logout revokes a token by its jti"),
        ("exp", "every token must expire"),
    ]

    init(jsonPath: String) { self.jsonPath = jsonPath }

    public init(from decoder: any Decoder) throws {
        let context = try DecodingContext.from(decoder)
        jsonPath = ConfigPath.render(decoder.codingPath)
        var container = try decoder.unkeyedContainer()
        var names: [String] = []
        while !container.isAtEnd {
            let element = try container.superDecoder()
            let name: String
            do {
                name = try element.string(expecting: "a claim name (\(IssuerClaims.known.joined(separator: ", ")))")
            } catch {
                context.record(error, at: element.codingPath)
                continue
            }
            if !IssuerClaims.known.contains(name) {
                let guess = Suggestion.closest(to: name, in: IssuerClaims.known).map { "; did you mean \"\($0)\"?" } ?? ""
                context.report(
                    element.codingPath, "unknown claim \"\(name)\"\(guess) (known: \(IssuerClaims.known.joined(separator: ", ")))")
            } else if names.contains(name) {
                context.report(element.codingPath, "\(name) is listed twice")
            }
            names.append(name)
        }
        for (name, reason) in IssuerClaims.required where !names.contains(name) {
            context.report(jsonPath, "must include \(name): \(reason)")
        }
        includeRoles = names.contains("roles")
        includeIssuedAt = names.contains("iat")
        includeNotBefore = names.contains("nbf")
    }
}
