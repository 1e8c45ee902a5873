/// One entry of `listen`: an address, and TLS settings when connections to it are TLS.
public struct ListenerConfig: Sendable, Equatable, Decodable {
    public var address: HostPort
    /// nil: plain HTTP.
    public var tls: ServerTLSConfig?
    public var jsonPath: String

    /// A string ("127.0.0.1:8080") or an object (`{"address": …, "tls": {…}}`).
    public init(from decoder: any Decoder) throws {
        jsonPath = ConfigPath.render(decoder.codingPath)
        switch decoder.jsonValue {
        case .string?:
            address = try ListenAddress(from: decoder).value
            tls = nil
        case .object?:
            let r = try ObjectReader(decoder, known: ConfigKeys.listener)
            address = r.require("address", as: ListenAddress.self)?.value ?? ListenerConfig.missingAddress
            tls = r.decode("tls", as: ServerTLSConfig.self)
        default:
            throw decoder.mismatch("an address such as \"127.0.0.1:8080\" or an object with address and tls")
        }
    }

    /// Stands in for an address already reported as missing; never compared as a repeat.
    static let missingAddress = HostPort(host: "", port: 0, isIPv6: false, text: "")
}
