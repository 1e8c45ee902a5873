/// What one minted token should say; the caller signs it (the CLI with the config's keys, tests with their own).
public struct TokenClaims: Sendable, Equatable {
    public var subject: String
    public var roles: [String]
    public var issuedAt: Int64
    public var expiresAt: Int64
}

/// How to mint the pool: who the tokens are for and which roles pass or fail the route.
public struct TokenSettings: Sendable {
    public var subject: String
    public var roles: [String]
    public var wrongRoles: [String]
    /// Distinct valid tokens (for verified-token cache misses); the other classes get `perClass` each.
    public var distinctValid: Int
    public var perClass: Int

    public init(subject: String = "loadtest", roles: [String] = [], wrongRoles: [String] = ["loadtest-no-such-role"],
                distinctValid: Int = 4, perClass: Int = 4) {
        self.subject = subject
        self.roles = roles
        self.wrongRoles = wrongRoles
        self.distinctValid = distinctValid
        self.perClass = perClass
    }
}

/// Tokens for every class of a mix, minted once before the run so that signing never competes with sending.
public struct TokenPool: Sendable {
    /// Indexed by `TokenClass.rawValue`; `missing` and `unchecked` hold none.
    public let tokens: [[String]]

    /// Expired tokens ended an hour ago and were issued two hours ago: past any sane leeway, and consistent
    /// (`iat` < `exp`) so that expiry, not a malformed claim, is what the gateway must notice.
    public static let expiredAgeSeconds: Int64 = 3600

    public static let empty = TokenPool(tokens: Array(repeating: [], count: TokenClass.allCases.count))

    init(tokens: [[String]]) {
        self.tokens = tokens
    }

    public func tokens(for c: TokenClass) -> [String] { tokens[c.rawValue] }

    /// Mints the tokens the mix needs with `sign`; `now` is the wall clock in seconds.
    public static func mint(
        for mix: TokenMix, settings: TokenSettings, now: Int64, sign: (TokenClaims) throws(LoadError) -> String
    ) throws(LoadError) -> TokenPool {
        guard settings.distinctValid >= 1, settings.perClass >= 1 else {
            throw LoadError("the token pool needs at least one token per class")
        }
        var tokens = [[String]](repeating: [], count: TokenClass.allCases.count)
        let live = TokenClaims(subject: settings.subject, roles: settings.roles, issuedAt: now, expiresAt: now + 24 * 3600)
        for c in mix.classes {
            switch c {
            case .valid:
                for _ in 0..<settings.distinctValid { tokens[c.rawValue].append(try sign(live)) }
            case .expired:
                var claims = live
                claims.issuedAt = now - 2 * expiredAgeSeconds
                claims.expiresAt = now - expiredAgeSeconds
                for _ in 0..<settings.perClass { tokens[c.rawValue].append(try sign(claims)) }
            case .wrongRole:
                var claims = live
                claims.roles = settings.wrongRoles
                for _ in 0..<settings.perClass { tokens[c.rawValue].append(try sign(claims)) }
            case .badSignature:
                for _ in 0..<settings.perClass { tokens[c.rawValue].append(try corruptSignature(try sign(live))) }
            case .missing, .unchecked:
                break
            }
        }
        return TokenPool(tokens: tokens)
    }

    /// A valid token with one character in the middle of its signature changed. The middle one, not the last:
    /// the last base64url character may carry padding bits that a strict decoder rejects as malformed, and
    /// this class must exercise the signature check itself.
    public static func corruptSignature(_ token: String) throws(LoadError) -> String {
        var bytes = Array(token.utf8)
        guard let dot = bytes.lastIndex(of: UInt8(ascii: ".")), bytes.count - dot > 4 else {
            throw LoadError("cannot corrupt the signature of a token without one")
        }
        let i = dot + 1 + (bytes.count - dot - 1) / 2
        bytes[i] = bytes[i] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        return String(decoding: bytes, as: UTF8.self)
    }
}
