import Config
import EventLoop
import TLS

/// TLS listeners and https upstream targets, compiled. Certificates and keys are read here, so a reload with a
/// bad certificate fails as a whole and the running one stays.
extension SnapshotBuilder {
    /// With `previous`, a listener whose TLS settings and certificate files are byte for byte unchanged keeps its
    /// context: its session-ticket keys survive the reload, so clients keep resuming.
    static func listenerTLS(
        _ listeners: [ListenerConfig], previous: Snapshot?, sources: inout [String: [UInt8]], problems: inout [ConfigProblem]
    ) -> [ListenerTLS?] {
        listeners.map { listener in
            guard let t = listener.tls else { return nil }
            var source = Array(String(describing: t).utf8)
            for file in [t.cert, t.key] + t.certificates.flatMap({ [$0.cert, $0.key] }) {
                source += [0] + (readFile(file.resolved) ?? [])
            }
            let host = listener.address.host == "localhost" ? "127.0.0.1" : listener.address.host
            let address = SocketAddress(host: host, port: listener.address.port)?.description ?? listener.address.text
            sources[address] = source
            if let previous, previous.reloadState.tlsSources[address] == source,
                let i = previous.listen.firstIndex(where: { $0.description == address }),
                i < previous.listenTLS.count, let kept = previous.listenTLS[i]
            {
                return kept
            }
            do throws(TLSError) {
                let context = try TLSServerContext(
                    defaultCertificate: TLSCertificateFiles(certificate: t.cert.resolved, key: t.key.resolved),
                    certificates: t.certificates.map { TLSCertificateFiles(certificate: $0.cert.resolved, key: $0.key.resolved) },
                    minVersion: t.minVersion == .v1_3 ? .tls13 : .tls12, ciphers: t.ciphers, sessionTickets: t.sessionTickets,
                    ticketKeyRotation: t.ticketKeyRotation)
                return ListenerTLS(context: context, handshakeTimeout: t.handshakeTimeout)
            } catch {
                problems.append(ConfigProblem(path: t.jsonPath, message: error.description))
                return nil
            }
        }
    }

    /// Per target of `u`, the client TLS of an https target, nil for plain HTTP.
    static func upstreamTLS(_ u: UpstreamConfig, problems: inout [ConfigProblem]) -> [UpstreamTLS?] {
        guard u.targets.contains(where: \.tls) else { return [] }
        let settings = u.tls
        let context: TLSClientContext
        do throws(TLSError) {
            context = try TLSClientContext(caFile: settings?.ca?.resolved, verify: settings?.verify ?? true)
        } catch {
            problems.append(ConfigProblem(path: settings?.jsonPath ?? u.jsonPath, message: error.description))
            return []
        }
        return u.targets.map { target in
            target.tls ? UpstreamTLS(context: context, serverName: settings?.serverName ?? target.host) : nil
        }
    }
}

