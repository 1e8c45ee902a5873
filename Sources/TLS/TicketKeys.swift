import COpenSSL
import Glibc
import Synchronization

/// Session-ticket keys that rotate by time: the current key encrypts new tickets, the current and the
/// previous one decrypt. A stolen ticket key so opens at most two rotation periods of past sessions, and a
/// restart invalidates every ticket (keys never leave the process).
final class TicketKeys: Sendable {
    struct Key {
        var name: [UInt8]
        var aes: [UInt8]
        var hmac: [UInt8]
    }

    private struct State {
        var current: Key
        var previous: Key?
        var nextRotation: UInt64
    }

    private let state: Mutex<State>
    private let interval: UInt64
    let cipher: CipherBox

    init(rotation: Duration) throws(TLSError) {
        let c = rotation.components
        interval = max(1, UInt64(c.seconds)) * 1_000_000_000
        cipher = try CipherBox()
        let first = try Self.freshKey()
        state = Mutex(State(current: first, previous: nil, nextRotation: Self.now() &+ interval))
    }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    private static func freshKey() throws(TLSError) -> Key {
        var k = Key(name: [UInt8](repeating: 0, count: 16), aes: [UInt8](repeating: 0, count: 32), hmac: [UInt8](repeating: 0, count: 32))
        guard RAND_bytes(&k.name, 16) == 1, RAND_bytes(&k.aes, 32) == 1, RAND_bytes(&k.hmac, 32) == 1 else {
            throw .resources("RAND_bytes: \(OpenSSLError.drain())")
        }
        return k
    }

    /// The key to encrypt with, rotating first when its period is over.
    func encryptionKey() -> Key? {
        let now = Self.now()
        return state.withLock { s -> Key? in
            if now >= s.nextRotation {
                guard let fresh = try? Self.freshKey() else { return nil }
                // Idle for more than a whole period: the previous key is as old as its limit, drop it too.
                s.previous = now >= s.nextRotation &+ interval ? nil : s.current
                s.current = fresh
                s.nextRotation = now &+ interval
            }
            return s.current
        }
    }

    /// The key with `name` and whether it is the current one, or nil for an unknown or expired key.
    func decryptionKey(named name: UnsafePointer<UInt8>) -> (Key, current: Bool)? {
        let wanted = UnsafeBufferPointer(start: name, count: 16)
        return state.withLock { s -> (Key, current: Bool)? in
            if s.current.name.elementsEqual(wanted) { return (s.current, true) }
            if let p = s.previous, p.name.elementsEqual(wanted), Self.now() < s.nextRotation &+ interval { return (p, false) }
            return nil
        }
    }

    /// Rotates now, as if the period had passed (for tests).
    func forceRotation() {
        state.withLock { s in
            if let fresh = try? Self.freshKey() {
                s.previous = s.current
                s.current = fresh
            }
        }
    }
}

/// AES-256-CBC fetched once: an implicit fetch per ticket would cost a provider lookup per handshake.
final class CipherBox: @unchecked Sendable {
    let cipher: OpaquePointer

    init() throws(TLSError) {
        guard let c = EVP_CIPHER_fetch(nil, "AES-256-CBC", nil) else { throw .resources("EVP_CIPHER_fetch: \(OpenSSLError.drain())") }
        cipher = c
    }

    deinit { EVP_CIPHER_free(cipher) }
}

/// OpenSSL's ticket-key callback (SSL_CTX_set_tlsext_ticket_key_evp_cb). Returns 1 (key set), 2 (decrypted
/// with the previous key: issue a fresh ticket), 0 (unknown key: full handshake) or -1 (error).
let ticketKeyCallback: gw_ticket_key_cb = { ssl, keyName, iv, cipherCtx, macCtx, enc in
    guard let ssl, let keyName, let iv, let cipherCtx, let macCtx,
        let box = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), 0)
    else { return -1 }
    let keys = Unmanaged<TicketKeys>.fromOpaque(box).takeUnretainedValue()
    if enc == 1 {
        guard let key = keys.encryptionKey(), RAND_bytes(iv, 16) == 1 else { return -1 }
        key.name.withUnsafeBufferPointer { n in
            guard let base = n.baseAddress else { return }
            keyName.update(from: base, count: 16)
        }
        guard EVP_EncryptInit_ex(cipherCtx, keys.cipher.cipher, nil, key.aes, iv) == 1,
            gw_mac_ctx_set_sha256_key(macCtx, key.hmac, 32) == 1
        else { return -1 }
        return 1
    }
    guard let (key, current) = keys.decryptionKey(named: keyName) else { return 0 }
    guard gw_mac_ctx_set_sha256_key(macCtx, key.hmac, 32) == 1,
        EVP_DecryptInit_ex(cipherCtx, keys.cipher.cipher, nil, key.aes, iv) == 1
    else { return -1 }
    return current ? 1 : 2
}
