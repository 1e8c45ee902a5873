/// The admin listener (`admin`): health, readiness, metrics and reload, on its own address.
public struct AdminConfig: Sendable, Equatable, Decodable {
    /// Port 0 picks a free port, as for `listen`.
    public var listen: HostPort
    /// Lets `listen` be an address other machines can reach.
    public var allowRemote = false
    public var jsonPath: String

    public init(from decoder: any Decoder) throws {
        jsonPath = ConfigPath.render(decoder.codingPath)
        let r = try ObjectReader(decoder, known: ConfigKeys.admin)
        listen = r.require("listen", as: ListenAddress.self)?.value ?? ListenerConfig.missingAddress
        allowRemote = r.bool("allow_remote", default: allowRemote)
        // The admin endpoints have no authentication: anyone who reaches them can read metrics and trigger reloads.
        if !listen.text.isEmpty, !listen.isLoopback, !allowRemote {
            r.report(
                "listen",
                "\(listen) is reachable from other machines, and the admin endpoints (metrics, reload) have no authentication; "
                    + "use a loopback address such as \"127.0.0.1:9901\", or set \"allow_remote\": true if a firewall protects it")
        }
    }
}
