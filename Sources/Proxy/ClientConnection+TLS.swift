import EventLoop
import Glibc
import TLS

/// The TLS side of a client connection: the handshake phase and its failure.
extension ClientConnection {
    /// Starts the handshake of a connection accepted on a TLS listener. A session OpenSSL cannot create
    /// (out of memory) leaves `tls` nil: the first step then fails the handshake.
    func beginHandshake(_ listener: ListenerTLS) {
        phase = .handshaking
        tls = try? TLSSession(server: listener.context, fd: fd)
    }

    /// One handshake step; true when it completed and the connection is ready for its first request. Called
    /// on every event while handshaking: a step with nothing new to read costs one SSL_do_handshake.
    func stepHandshake() -> Bool {
        guard let tls else {
            handshakeFailed()
            return false
        }
        switch tls.handshake() {
        case .done:
            worker.metrics.tlsHandshake(ok: true)
            phase = .idle
            // The client may have sent its request with its Finished: the edge that announced it is spent.
            readReady = true
            setDeadline(worker.loop.now + worker.snapshot.timeouts.requestHead)
            return true
        case .wantRead:
            readReady = false
            return false
        case .wantWrite:
            writeBlocked = true
            return false
        case .failed:
            handshakeFailed()
            return false
        }
    }

    /// A failed or timed-out handshake: no HTTP answer (the peer speaks no TLS we accept), and a FIN rather
    /// than a reset, so what the client sent is read and dropped before the close.
    func handshakeFailed() {
        worker.metrics.tlsHandshake(ok: false)
        withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 8) { scratch in
            for _ in 0..<16 {
                guard case .bytes = Socket.read(fd, into: scratch) else { break }
            }
        }
        close()
    }
}
