import Foundation
import Testing

@testable import JWT

/// Decodable shapes of the Wycheproof files used here (testvectors_v1 schemas).
enum Wycheproof {
    enum Result: String, Decodable { case valid, invalid, acceptable }

    struct File<Group: Decodable>: Decodable {
        let numberOfTests: Int
        let testGroups: [Group]

        static func load(_ name: String) throws -> File {
            try JSONDecoder().decode(File.self, from: try CryptoFixtures.resource("wycheproof/\(name).json"))
        }
    }

    struct JWK: Decodable {
        let kty: String
        let n: String?
        let e: String?
        let crv: String?
        let x: String?
        let y: String?
    }

    struct RawKey: Decodable {
        /// Ed25519 public key, hex.
        let pk: String?
        /// EC affine coordinates, hex, as minimal signed integers (may carry a leading 00 or be short).
        let wx: String?
        let wy: String?
    }

    struct SignatureGroup: Decodable {
        let publicKeyPem: String
        let publicKeyJwk: JWK?
        /// The RSA PKCS#1 files name the JWK `keyJwk`.
        let keyJwk: JWK?
        let publicKey: RawKey?
        let sha: String?
        let mgfSha: String?
        let sLen: Int?
        let tests: [SignatureCase]
    }

    struct SignatureCase: Decodable {
        let tcId: Int
        let comment: String
        let flags: [String]
        let msg: String
        let sig: String
        let result: Result
    }

    struct MACGroup: Decodable {
        let keySize: Int
        let tagSize: Int
        let tests: [MACCase]
    }

    struct MACCase: Decodable {
        let tcId: Int
        let comment: String
        let flags: [String]
        let key: String
        let msg: String
        let tag: String
        let result: Result
    }

    struct Tally: Equatable, Sendable, CustomStringConvertible {
        var valid = 0
        var invalid = 0
        var acceptable = 0

        mutating func count(_ result: Result) {
            switch result {
            case .valid: valid += 1
            case .invalid: invalid += 1
            case .acceptable: acceptable += 1
            }
        }

        var total: Int { valid + invalid + acceptable }
        var description: String { "\(valid) valid / \(invalid) invalid / \(acceptable) acceptable" }
    }
}
