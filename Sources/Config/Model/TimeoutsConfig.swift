/// How long the gateway waits at each stage before giving up on a peer.
public struct TimeoutsConfig: Sendable, Equatable, Decodable {
    public var requestHead: Duration = .seconds(10)
    public var bodyIdle: Duration = .seconds(30)
    public var keepAlive: Duration = .seconds(60)
    public var upstreamConnect: Duration = .seconds(3)
    public var upstreamResponse: Duration = .seconds(30)
    /// Grace period for in-flight requests on shutdown.
    public var drain: Duration = .seconds(10)

    public init() {}

    static let range: ClosedRange<Duration> = .milliseconds(1)...(.seconds(86_400))

    public init(from decoder: any Decoder) throws {
        let r = try ObjectReader(decoder, known: ConfigKeys.timeouts)
        let range = TimeoutsConfig.range
        requestHead = r.duration("request_head", default: requestHead, in: range)
        bodyIdle = r.duration("body_idle", default: bodyIdle, in: range)
        keepAlive = r.duration("keep_alive", default: keepAlive, in: range)
        upstreamConnect = r.duration("upstream_connect", default: upstreamConnect, in: range)
        upstreamResponse = r.duration("upstream_response", default: upstreamResponse, in: range)
        drain = r.duration("drain", default: drain, in: .zero...(.seconds(86_400)))
    }
}
