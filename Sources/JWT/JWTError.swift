/// Why a token was rejected. `description` is a short sentence safe to send to the client
/// (it never contains key material or echoes token bytes); associated values are for logs.
public enum JWTError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooLong
    case malformed(String)
    case unsupportedAlgorithm(String)
    case algorithmNone
    case critUnsupported
    case typMismatch
    case unknownIssuer
    case issuerNotAllowed
    case unknownKey
    /// The issuer's keys come from a remote JWK Set that has not been fetched (or has expired).
    case keysUnavailable
    case algorithmMismatch
    case badSignature
    case expired
    case notYetValid
    case issuedInFuture
    case tooOld
    case audienceMismatch
    case missingClaim(String)
    case invalidClaim(String)

    public var description: String {
        switch self {
        case .tooLong: "The token is too long."
        case .malformed(let why): "The token is malformed: \(why)."
        case .unsupportedAlgorithm: "The token's signing algorithm is not supported."
        case .algorithmNone: "Unsigned tokens are not accepted."
        case .critUnsupported: "The token uses a critical header extension that is not supported."
        case .typMismatch: "The token has the wrong type."
        case .unknownIssuer: "The token's issuer is not trusted."
        case .issuerNotAllowed: "The token's issuer is not accepted for this resource."
        case .unknownKey: "The token's signing key is not known."
        case .keysUnavailable: "The token issuer's signing keys are not available right now."
        case .algorithmMismatch: "The token's algorithm does not match the issuer's key."
        case .badSignature: "The token's signature is invalid."
        case .expired: "The token has expired."
        case .notYetValid: "The token is not valid yet."
        case .issuedInFuture: "The token was issued in the future."
        case .tooOld: "The token is too old."
        case .audienceMismatch: "The token is not intended for this audience."
        case .missingClaim(let name): "The token is missing the \(name) claim."
        case .invalidClaim(let name): "The token's \(name) claim is invalid."
        }
    }

    /// Keeps an attacker-chosen string short and printable before it goes into an error value.
    static func loggable(_ text: String) -> String {
        let safe = text.unicodeScalars.prefix(32).map { scalar -> Character in
            scalar.isASCII && scalar.value >= 0x20 && scalar.value < 0x7F && scalar != "\"" && scalar != "\\"
                ? Character(scalar) : "?"
        }
        return String(safe)
    }
}
