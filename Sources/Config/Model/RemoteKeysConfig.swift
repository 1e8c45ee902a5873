/// How an issuer's remote JWKS (a `jwks_uri` key or discovery) is kept fresh (`issuers.<name>.jwks`).
public struct RemoteKeysConfig: Sendable, Equatable, Decodable {
    /// Refresh interval when the response has no `Cache-Control: max-age`.
    public var refresh: Duration = .seconds(3_600)
    /// `max-age` is clamped to `minRefresh...maxRefresh`.
    public var minRefresh: Duration = .seconds(60)
    public var maxRefresh: Duration = .seconds(86_400)
    /// Least time between two fetches caused by unknown `kid`s.
    public var cooldown: Duration = .seconds(30)
    /// How long the last good keys keep serving while the provider fails.
    public var maxStale: Duration = .seconds(86_400)
    /// Limit for one fetch, connect to last byte.
    public var timeout: Duration = .seconds(5)
    public var jsonPath: String

    static let intervalRange: ClosedRange<Duration> = .seconds(1)...(.seconds(7 * 86_400))

    /// The defaults, for a remote issuer without a `jwks` object.
    init(jsonPath: String) { self.jsonPath = jsonPath }

    public init(from decoder: any Decoder) throws {
        jsonPath = ConfigPath.render(decoder.codingPath)
        let r = try ObjectReader(decoder, known: ConfigKeys.remoteKeys)
        refresh = r.duration("refresh", default: refresh, in: RemoteKeysConfig.intervalRange)
        minRefresh = r.duration("min_refresh", default: minRefresh, in: RemoteKeysConfig.intervalRange)
        maxRefresh = r.duration("max_refresh", default: maxRefresh, in: RemoteKeysConfig.intervalRange)
        // Point at a key the operator wrote, preferring the bound over refresh.
        if minRefresh > refresh {
            r.report(
                r.has("min_refresh") || !r.has("refresh") ? "min_refresh" : "refresh",
                "min_refresh (\(DurationText.format(minRefresh))) must not be longer than refresh (\(DurationText.format(refresh)))")
        }
        if refresh > maxRefresh {
            r.report(
                r.has("max_refresh") || !r.has("refresh") ? "max_refresh" : "refresh",
                "refresh (\(DurationText.format(refresh))) must not be longer than max_refresh (\(DurationText.format(maxRefresh)))")
        }
        // The cooldown is what stands between a flood of random kids and the identity provider.
        cooldown = r.duration("cooldown", default: cooldown, in: .seconds(1)...(.seconds(3_600)))
        maxStale = r.duration("max_stale", default: maxStale, in: .zero...(.seconds(30 * 86_400)))
        timeout = r.duration("timeout", default: timeout, in: .milliseconds(100)...(.seconds(60)))
    }
}
