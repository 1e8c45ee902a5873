import Glibc
import HTTP1
import Policy
import RateLimit

/// One compiled entry of `routes`: how a request is matched and what is done with it. A class so that
/// matching and admission pass a reference instead of copying (and retaining) every field per request.
public final class Route: Sendable {
    public enum PathMatch: Sendable, Equatable {
        case exact([UInt8])
        /// Segment-aware: "/api" matches "/api" and "/api/x" but not "/apix"; a prefix ending in "/" matches
        /// anything under it.
        case prefix([UInt8])
    }

    /// Which limiter applies: `limiterID` keeps each policy's buckets apart in the shared table.
    public enum Limit: Sendable, Equatable {
        case off
        case limited(RateSpec, limiterID: Int)
    }

    public let name: String
    public let match: PathMatch
    /// Upper-case method tokens; empty means every method.
    public let methods: [[UInt8]]
    /// Lower-case host (without port) the request's Host must name; nil means any.
    public let host: [UInt8]?
    public let upstream: Int
    /// For logs: the upstream's name in the snapshot this route belongs to.
    public let upstreamName: String
    public let policy: RoutePolicy
    public let tokenCookie: [UInt8]?
    public let tokenQuery: [UInt8]?
    public let forwardAuthorization: Bool
    public let allowEncodedSlash: Bool
    public let ipLimit: Limit
    public let subjectLimit: Limit
    public let rateLimitHeaders: Bool
    public let maxBodyBytes: Int
    public let cors: CORSPolicy?

    public init(
        name: String, match: PathMatch, methods: [[UInt8]] = [], host: [UInt8]? = nil, upstream: Int,
        policy: RoutePolicy, tokenCookie: [UInt8]? = nil, tokenQuery: [UInt8]? = nil, forwardAuthorization: Bool = false,
        allowEncodedSlash: Bool = false, ipLimit: Limit = .off, subjectLimit: Limit = .off, rateLimitHeaders: Bool = false,
        maxBodyBytes: Int = 10 << 20, cors: CORSPolicy? = nil, upstreamName: String = ""
    ) {
        self.name = name
        self.match = match
        self.methods = methods
        self.host = host
        self.upstream = upstream
        self.policy = policy
        self.tokenCookie = tokenCookie
        self.tokenQuery = tokenQuery
        self.forwardAuthorization = forwardAuthorization
        self.allowEncodedSlash = allowEncodedSlash
        self.ipLimit = ipLimit
        self.subjectLimit = subjectLimit
        self.rateLimitHeaders = rateLimitHeaders
        self.maxBodyBytes = maxBodyBytes
        self.cors = cors
        self.upstreamName = upstreamName
    }

    func matchesPath(_ path: UnsafeRawBufferPointer) -> Bool {
        switch match {
        case .exact(let p):
            return p.withUnsafeBytes { equalBytes($0, path) }
        case .prefix(let p):
            return p.withUnsafeBytes { pre in
                guard path.count >= pre.count, equalBytes(pre, UnsafeRawBufferPointer(rebasing: path[0..<pre.count])) else { return false }
                if path.count == pre.count || pre.last == UInt8(ascii: "/") { return true }
                return path[pre.count] == UInt8(ascii: "/")
            }
        }
    }

    /// GET routes also answer HEAD, as RFC 9110 §9.3.2 expects of any GET resource.
    func allowsMethod(_ method: UnsafeRawBufferPointer) -> Bool {
        if methods.isEmpty { return true }
        for m in methods {
            if m.withUnsafeBytes({ equalBytes($0, method) }) { return true }
        }
        if equalBytes(method, "HEAD") {
            for m in methods where m == Array("GET".utf8) { return true }
        }
        return false
    }
}

@inline(__always)
func equalBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    guard a.count == b.count else { return false }
    if a.count == 0 { return true }
    guard let pa = a.baseAddress, let pb = b.baseAddress else { return false }
    return memcmp(pa, pb, a.count) == 0
}

@inline(__always)
func equalBytes(_ a: UnsafeRawBufferPointer, _ s: StaticString) -> Bool {
    equalBytes(a, UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
}
