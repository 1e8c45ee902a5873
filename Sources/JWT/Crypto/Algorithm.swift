import COpenSSL

/// JWS signature algorithms (RFC 7518 §3.1) the gateway supports; `none` is deliberately absent.
public enum Algorithm: String, Sendable, CaseIterable {
    case HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA
}

extension Algorithm {
    enum Family: Sendable { case hmac, rsaPKCS1, rsaPSS, ecdsa, eddsa }

    var family: Family {
        switch self {
        case .HS256, .HS384, .HS512: .hmac
        case .RS256, .RS384, .RS512: .rsaPKCS1
        case .PS256, .PS384, .PS512: .rsaPSS
        case .ES256, .ES384, .ES512: .ecdsa
        case .EdDSA: .eddsa
        }
    }

    /// The hash the algorithm applies to the signing input; Ed25519 hashes internally (nil).
    var digest: Digest? {
        switch self {
        case .HS256, .RS256, .PS256, .ES256: .sha256
        case .HS384, .RS384, .PS384, .ES384: .sha384
        case .HS512, .RS512, .PS512, .ES512: .sha512
        case .EdDSA: nil
        }
    }

    var curve: ECCurve? {
        switch self {
        case .ES256: .p256
        case .ES384: .p384
        case .ES512: .p521
        default: nil
        }
    }
}

enum Digest: Int, Sendable, CaseIterable {
    case sha256 = 0, sha384, sha512

    /// OpenSSL fetch name.
    var name: String {
        switch self {
        case .sha256: "SHA256"
        case .sha384: "SHA384"
        case .sha512: "SHA512"
        }
    }

    var length: Int {
        switch self {
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }
}

enum ECCurve: Sendable {
    case p256, p384, p521

    init?(jwkName: String) {
        switch jwkName {
        case "P-256": self = .p256
        case "P-384": self = .p384
        case "P-521": self = .p521
        default: return nil
        }
    }

    /// OpenSSL group name, as `EVP_PKEY_get_group_name` reports it.
    var groupName: String {
        switch self {
        case .p256: "prime256v1"
        case .p384: "secp384r1"
        case .p521: "secp521r1"
        }
    }

    var nid: Int32 {
        switch self {
        case .p256: NID_X9_62_prime256v1
        case .p384: NID_secp384r1
        case .p521: NID_secp521r1
        }
    }

    /// Bytes of one coordinate and of r or s in a JWS signature (RFC 7518 §3.4).
    var coordinateSize: Int {
        switch self {
        case .p256: 32
        case .p384: 48
        case .p521: 66
        }
    }
}
