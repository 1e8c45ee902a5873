import EventLoop
import TLS

/// What one read or write on a connection did.
enum TransportIO: Equatable {
    case bytes(Int)
    case wantRead
    case wantWrite
    case closed
    case failed(String)
}

/// The byte stream under the HTTP client: plain TCP today, TLS behind the same calls. Non-blocking;
/// `wantRead`/`wantWrite` say which readiness to wait for.
protocol Transport: AnyObject {
    /// `.bytes(0)` once the connection is ready for the request.
    func handshake() -> TransportIO
    func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportIO
    func write(from buffer: UnsafeRawBufferPointer) -> TransportIO
}

/// A connected TCP socket as it is.
final class PlainTransport: Transport {
    private let fd: Int32

    init(fd: Int32) {
        self.fd = fd
    }

    func handshake() -> TransportIO { .bytes(0) }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportIO {
        switch Socket.read(fd, into: buffer) {
        case .bytes(let n): .bytes(n)
        case .wouldBlock: .wantRead
        case .closed: .closed
        case .failed(let e): .failed("read failed (errno \(e))")
        }
    }

    func write(from buffer: UnsafeRawBufferPointer) -> TransportIO {
        switch Socket.write(fd, from: buffer) {
        case .bytes(let n): .bytes(n)
        case .wouldBlock: .wantWrite
        case .closed: .closed
        case .failed(let e): .failed("write failed (errno \(e))")
        }
    }
}

/// TLS over a connected socket; certificate and host name are checked by the session's context during
/// the handshake, so no byte of the response is read from an unverified peer.
final class TLSTransport: Transport {
    private let session: TLSSession

    init(session: TLSSession) {
        self.session = session
    }

    func handshake() -> TransportIO {
        switch session.handshake() {
        case .done: .bytes(0)
        case .wantRead: .wantRead
        case .wantWrite: .wantWrite
        case .failed(let why): .failed("TLS handshake failed: \(why)")
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportIO {
        Self.map(session.read(into: buffer))
    }

    func write(from buffer: UnsafeRawBufferPointer) -> TransportIO {
        Self.map(session.write(from: buffer))
    }

    private static func map(_ io: TLSIO) -> TransportIO {
        switch io {
        case .bytes(let n): .bytes(n)
        case .wantRead: .wantRead
        case .wantWrite: .wantWrite
        case .closed: .closed
        case .failed(let why): .failed("TLS: \(why)")
        }
    }
}
