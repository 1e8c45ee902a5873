/// How far a non-blocking handshake got.
public enum TLSStatus: Equatable, Sendable {
    case done
    /// Call again when the socket is readable.
    case wantRead
    /// Call again when the socket is writable.
    case wantWrite
    case failed(String)
}

/// The outcome of one non-blocking read or write through a session.
public enum TLSIO: Equatable, Sendable {
    /// Plaintext bytes moved (for a read, possibly fewer than the socket holds: read again until `.wantRead`).
    case bytes(Int)
    case wantRead
    case wantWrite
    /// The peer closed the connection (close_notify, or EOF at a record boundary).
    case closed
    case failed(String)
}

/// The lowest protocol version a context accepts; nothing below TLS 1.2 is offered.
public enum TLSVersion: Sendable, Equatable {
    case tls12
    case tls13
}
