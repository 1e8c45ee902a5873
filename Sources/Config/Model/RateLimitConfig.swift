/// Global rate limiting per client address.
public struct RateLimitConfig: Sendable, Equatable, Decodable {
    /// nil: no global limit; routes may still set their own.
    public var defaultLimit: LimitSpec?
    /// Peers whose X-Forwarded-For is believed; everyone else is limited by their own address.
    public var trustedProxies: [CIDRBlock] = []
    /// IPv6 clients are grouped by this prefix, since one host usually owns a whole /64.
    public var ipv6Prefix = 64
    /// Bound on tracked client keys, so address churn cannot exhaust memory.
    public var maxKeys = 100_000
    /// Send RateLimit-* headers on allowed responses.
    public var headers = false

    public init() {}

    public init(from decoder: any Decoder) throws {
        let r = try ObjectReader(decoder, known: ConfigKeys.rateLimit)
        defaultLimit = r.decode("default", as: OptionalLimit.self)?.limit
        trustedProxies = r.list("trusted_proxies", of: CIDRBlock.self) ?? []
        ipv6Prefix = r.int("ipv6_prefix", default: ipv6Prefix, in: 1...128)
        maxKeys = r.int("max_keys", default: maxKeys, in: 1...100_000_000)
        headers = r.bool("headers", default: headers)
    }
}

/// A token bucket: `rate` refill and `burst` capacity.
public struct LimitSpec: Sendable, Equatable, Decodable {
    public var rate: RateSpec
    /// Defaults to one second's worth of tokens (at least 1).
    public var burst: Int

    init(rate: RateSpec, burst: Int) {
        self.rate = rate
        self.burst = burst
    }

    public init(from decoder: any Decoder) throws {
        let r = try ObjectReader(decoder, known: ConfigKeys.limit)
        (rate, burst) = LimitSpec.read(r)
    }

    static func read(_ r: ObjectReader) -> (RateSpec, Int) {
        let rate = r.require("rate", as: RateSpec.self) ?? RateSpec(perSecond: 1, text: "1/s")
        let fallback = Int(min(rate.perSecond.rounded(.up), 10_000_000))
        return (rate, r.int("burst", default: max(1, fallback), in: 1...10_000_000))
    }
}

/// `false` or a limit object.
struct OptionalLimit: Decodable {
    let limit: LimitSpec?

    init(from decoder: any Decoder) throws {
        switch decoder.jsonValue {
        case .bool(false)?: limit = nil
        case .object?: limit = try LimitSpec(from: decoder)
        default: throw decoder.mismatch("false or an object with rate and burst")
        }
    }
}
