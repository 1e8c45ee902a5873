import TLS

/// TLS on one listen address: the server context (certificates, SNI, tickets) and how long a client may
/// take to complete its handshake. Shared by every worker's listener for that address.
public final class ListenerTLS: Sendable {
    public let context: TLSServerContext
    /// Nanoseconds of the monotonic clock.
    public let handshakeTimeout: UInt64

    public init(context: TLSServerContext, handshakeTimeout: Duration = .seconds(10)) {
        self.context = context
        let c = handshakeTimeout.components
        self.handshakeTimeout = UInt64(max(0, c.seconds)) * 1_000_000_000 + UInt64(max(0, c.attoseconds / 1_000_000_000))
    }
}

/// TLS to one upstream target (an `https://` target): the client context (trust anchors, verification) and
/// the name sent as SNI and verified against the certificate.
public struct UpstreamTLS: Sendable {
    public let context: TLSClientContext
    public let serverName: String

    public init(context: TLSClientContext, serverName: String) {
        self.context = context
        self.serverName = serverName
    }
}

extension Snapshot {
    /// The TLS settings of a listen address (as the listeners name it: `SocketAddress.description` of the
    /// configured address), nil for plain HTTP.
    func tls(forListenAddress address: String) -> ListenerTLS? {
        guard let i = listen.firstIndex(where: { $0.description == address }), i < listenTLS.count else { return nil }
        return listenTLS[i]
    }
}

extension Upstream {
    /// The TLS settings of target `t`, nil for plain HTTP.
    func tls(forTarget t: Int) -> UpstreamTLS? {
        t < tls.count ? tls[t] : nil
    }
}
