import Foundation
import Testing

@testable import JWT

/// Shared helpers for the crypto tests: resource loading, hex and base64url decoding, one-shot verification.
enum CryptoFixtures {
    static func resource(_ relativePath: String) throws -> Data {
        let root = try #require(Bundle.module.url(forResource: "Resources", withExtension: nil))
        return try Data(contentsOf: root.appendingPathComponent(relativePath))
    }

    static func keyPEM(_ name: String) throws -> [UInt8] {
        Array(try resource("keys/\(name).pem"))
    }

    static func hex(_ text: String) throws -> [UInt8] {
        let digits = Array(text.utf8)
        try #require(digits.count % 2 == 0, "odd-length hex")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            let pair = String(decoding: digits[index..<index + 2], as: UTF8.self)
            bytes.append(try #require(UInt8(pair, radix: 16), "bad hex \(pair)"))
        }
        return bytes
    }

    static func base64URL(_ text: String) throws -> [UInt8] {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Array(try #require(Data(base64Encoded: standard), "bad base64url"))
    }

    static func verify(_ key: VerificationKey, _ message: [UInt8], _ signature: [UInt8], in context: CryptoContext) -> Bool {
        message.withUnsafeBytes { input in
            signature.withUnsafeBytes { signed in
                context.verify(key, signingInput: input, signature: signed)
            }
        }
    }

    /// DER `SEQUENCE { INTEGER r, INTEGER s }` for a raw r||s signature, to show ES* refuses the DER form.
    static func der(fromRaw raw: [UInt8]) -> [UInt8] {
        func integer(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
            var value = Array(bytes.drop { $0 == 0 })
            if value.isEmpty || value[0] & 0x80 != 0 { value.insert(0, at: 0) }
            return [0x02, UInt8(value.count)] + value
        }
        let half = raw.count / 2
        let body = integer(raw[..<half]) + integer(raw[half...])
        let length: [UInt8] = body.count < 128 ? [UInt8(body.count)] : [0x81, UInt8(body.count)]
        return [0x30] + length + body
    }

    static func flippingBit(_ bytes: [UInt8], at bit: Int) -> [UInt8] {
        var copy = bytes
        copy[bit / 8] ^= UInt8(1 << (bit % 8))
        return copy
    }
}
