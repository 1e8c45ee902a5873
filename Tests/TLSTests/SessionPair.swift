import Glibc
import Testing

@testable import TLS

/// A server and a client session over a non-blocking socketpair, driven alternately in one thread.
final class SessionPair {
    let serverFD: Int32
    let clientFD: Int32
    let server: TLSSession
    let client: TLSSession

    init(server serverContext: TLSServerContext, client clientContext: TLSClientContext, name: String) throws {
        var fds: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0, &fds) == 0 else {
            throw TLSError.resources("socketpair")
        }
        serverFD = fds[0]
        clientFD = fds[1]
        server = try TLSSession(server: serverContext, fd: serverFD)
        client = try TLSSession(client: clientContext, fd: clientFD, serverName: name)
    }

    deinit {
        close(serverFD)
        close(clientFD)
    }

    /// Steps both handshakes until both are done or one fails: (server, client) outcomes.
    func handshake() -> (server: TLSStatus, client: TLSStatus) {
        var s = TLSStatus.wantRead
        var c = TLSStatus.wantRead
        for _ in 0..<50 {
            if c != .done { c = client.handshake() }
            if s != .done { s = server.handshake() }
            // One more step lets the other side read the alert the failing side sent.
            if case .failed = s {
                if c == .wantRead || c == .wantWrite { c = client.handshake() }
                return (s, c)
            }
            if case .failed = c {
                if s == .wantRead || s == .wantWrite { s = server.handshake() }
                return (s, c)
            }
            if s == .done && c == .done { return (s, c) }
        }
        return (s, c)
    }
}

func failure(_ s: TLSStatus) -> String? {
    if case .failed(let why) = s { return why }
    return nil
}
