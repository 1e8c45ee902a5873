/// A key that checks signatures for exactly one algorithm, parsed and validated once at load time.
public final class VerificationKey: Sendable {
    public let algorithm: Algorithm
    public let kid: String?
    let material: Material

    enum Material: Sendable {
        case secret(SecretBytes)
        /// `modulusBytes`: the only signature length RFC 8017 §8.2.2 allows.
        case rsa(PKey, modulusBytes: Int)
        /// `order`: the group order, big-endian, `coordinateSize` bytes, for the r/s range check.
        case ec(PKey, curve: ECCurve, order: [UInt8])
        case ed25519(PKey)
    }

    init(algorithm: Algorithm, kid: String?, material: Material) {
        self.algorithm = algorithm
        self.kid = kid
        self.material = material
    }
}
