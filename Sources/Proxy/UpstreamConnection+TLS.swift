import EventLoop
import Logging
import TLS

/// The TLS handshake to an `https://` target. It is part of connecting: the connect timeout covers it, and
/// a failed handshake (bad certificate, wrong name, no common protocol) counts as a failed connect, so the
/// next target may be tried, since no request byte was sent.
extension UpstreamConnection {
    func startHandshake(_ target: UpstreamTLS) {
        guard let session = try? TLSSession(client: target.context, fd: fd, serverName: target.serverName) else {
            connectFailed(timedOut: false)
            return
        }
        tls = session
        stepHandshake(session)
    }

    /// One step; the socket is registered for both directions (edge-triggered), so whichever readiness the
    /// handshake waits for arrives as the next event.
    func stepHandshake(_ session: TLSSession) {
        switch session.handshake() {
        case .done:
            phase = .active
            // Bytes after the server's Finished (a session ticket) may already sit in the socket.
            readReady = true
            writeBlocked = false
            setDeadline(worker.loop.now + pool.upstream.responseTimeout)
            client?.drive()
        case .wantRead:
            return
        case .wantWrite:
            writeBlocked = true
        case .failed(let why):
            // The reason (an unknown CA, a name mismatch, an expired certificate) is what the operator must
            // fix; ejection bounds these lines to a few per target and worker per ejection period.
            Lifecycle.log(
                "upstream_tls_failed",
                ["upstream": pool.upstream.name, "target": pool.upstream.targets[targetIndex].description, "error": why,
                 "worker": "\(worker.id)"],
                level: .warning)
            connectFailed(timedOut: false)
        }
    }
}
