/// Resource limits that bound what one client can make the gateway hold.
public struct LimitsConfig: Sendable, Equatable, Decodable {
    public var maxTargetBytes = 8 << 10
    public var maxHeadBytes = 64 << 10
    public var maxHeaders = 100
    public var maxBodyBytes = 10 << 20
    public var maxTokenBytes = 8 << 10
    public var maxConnections = 20_000
    /// nil: `maxConnections` divided by the number of workers.
    public var maxConnectionsPerWorker: Int?
    public var maxConnectionsPerIP = 256
    public var maxRequestsPerConnection = 10_000
    /// A rejected request's body up to this size is read and discarded to keep the connection; larger closes it.
    public var drainBodyBytes = 64 << 10

    public init() {}

    public init(from decoder: any Decoder) throws {
        let r = try ObjectReader(decoder, known: ConfigKeys.limits)
        maxTargetBytes = r.size("max_target_bytes", default: maxTargetBytes, in: 64...(1 << 20))
        maxHeadBytes = r.size("max_head_bytes", default: maxHeadBytes, in: 1024...(16 << 20))
        maxHeaders = r.int("max_headers", default: maxHeaders, in: 1...10_000)
        maxBodyBytes = r.size("max_body_bytes", default: maxBodyBytes, in: 0...(1 << 40))
        maxTokenBytes = r.size("max_token_bytes", default: maxTokenBytes, in: 256...(1 << 20))
        maxConnections = r.int("max_connections", default: maxConnections, in: 1...10_000_000)
        maxConnectionsPerWorker = r.optionalInt("max_connections_per_worker", in: 1...10_000_000)
        maxConnectionsPerIP = r.int("max_connections_per_ip", default: maxConnectionsPerIP, in: 1...10_000_000)
        maxRequestsPerConnection = r.int("max_requests_per_connection", default: maxRequestsPerConnection, in: 1...1_000_000_000)
        drainBodyBytes = r.size("drain_body_bytes", default: drainBodyBytes, in: 0...(1 << 30))

        // The request target and a token both travel inside the head, so larger limits could never be reached.
        if maxTargetBytes > maxHeadBytes {
            r.report("max_target_bytes", "must not exceed max_head_bytes (\(ByteSize.format(maxHeadBytes)))")
        }
        if maxTokenBytes > maxHeadBytes {
            r.report("max_token_bytes", "must not exceed max_head_bytes (\(ByteSize.format(maxHeadBytes)))")
        }
        if let perWorker = maxConnectionsPerWorker, perWorker > maxConnections {
            r.report("max_connections_per_worker", "must not exceed max_connections (\(maxConnections))")
        }
        if maxConnectionsPerIP > maxConnections {
            r.report("max_connections_per_ip", "must not exceed max_connections (\(maxConnections))")
        }
    }
}
