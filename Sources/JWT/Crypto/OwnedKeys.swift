import COpenSSL

/// Owns one `EVP_PKEY`, freed when the last key object using it goes away.
/// Unchecked Sendable: the key is never mutated after load, and OpenSSL 3 allows one `EVP_PKEY`
/// to be used from several threads at once as long as each has its own operation context.
final class PKey: @unchecked Sendable {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }
}

/// Owns an HMAC secret outside Swift arrays, so it has exactly one copy and is wiped on release.
/// Unchecked Sendable: the bytes are written once in `init` and only read afterwards.
final class SecretBytes: @unchecked Sendable {
    private let base: UnsafeMutableRawPointer
    let count: Int

    init(_ secret: [UInt8]) {
        count = secret.count
        base = .allocate(byteCount: max(secret.count, 1), alignment: 1)
        secret.withUnsafeBytes { source in
            if let from = source.baseAddress {
                base.copyMemory(from: from, byteCount: source.count)
            }
        }
    }

    var pointer: UnsafeRawPointer { UnsafeRawPointer(base) }

    deinit {
        OPENSSL_cleanse(base, max(count, 1))
        base.deallocate()
    }
}
