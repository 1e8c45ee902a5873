/// How the gateway checks the certificates of an upstream's https targets (`upstreams.<name>.tls`).
public struct UpstreamTLSConfig: Sendable, Equatable, Decodable {
    /// CA certificates (PEM) that must sign the targets' certificates; nil: the system store.
    public var ca: ConfigFilePath?
    /// Sent as SNI and verified against the certificate; nil: each target's host.
    public var serverName: String?
    /// False turns off certificate and name verification (`gateway check` warns).
    public var verify = true
    public var jsonPath: String

    /// The defaults, for https targets of an upstream without a `tls` object.
    init(jsonPath: String) { self.jsonPath = jsonPath }

    public init(from decoder: any Decoder) throws {
        jsonPath = ConfigPath.render(decoder.codingPath)
        let r = try ObjectReader(decoder, known: ConfigKeys.upstreamTLS)
        ca = r.decode("ca", as: ConfigFilePath.self)
        if let name = r.decode("server_name", as: String.self) {
            if (Names.isHost(name) && !name.contains(":")) || IPAddress.parse(name) != nil {
                serverName = name
            } else {
                r.report("server_name", "\"\(name)\" is not a host name such as \"api.internal\" (lowercase, no port) or an IP address")
            }
        }
        verify = r.bool("verify", default: verify)
        if !verify, r.has("ca") { r.report("ca", "not used when verify is false") }
    }
}
