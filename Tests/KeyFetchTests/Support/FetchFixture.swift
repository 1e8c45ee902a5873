import EventLoop
import Glibc
import JSON
import JWT
import KeyFetch
import Synchronization
import TLS

/// Keys, tokens and helpers shared by the key fetcher tests.
enum FetchFixture {
    static let jwksPath = "/jwks"

    static func key(_ kid: String) throws -> SigningKey {
        try KeyGenerator.signingKey(.ES256, kid: kid)
    }

    /// A JWK Set publishing the public halves of `keys`.
    static func jwks(_ keys: [SigningKey]) throws -> [UInt8] {
        var list: [JSONValue] = []
        for key in keys {
            if let jwk = try key.publicJWK() { list.append(.object(jwk)) }
        }
        var out: [UInt8] = []
        JSONWriter.serialize(.object(JSONObject(members: [("keys", .array(list))])), to: &out)
        return out
    }

    static var now: Int64 { Int64(Clock.wallSeconds()) }

    /// A valid ES256 token of `issuer` signed by `key`, announcing `kid` (the key's own by default).
    static func token(_ key: SigningKey, issuer: String, kid: String? = nil, subject: String = "alice") throws -> String {
        let header = #"{"alg":"ES256","typ":"JWT","kid":"\#(kid ?? key.kid ?? "")"}"#
        let payload = #"{"iss":"\#(issuer)","sub":"\#(subject)","iat":\#(now - 5),"exp":\#(now + 300)}"#
        var input: [UInt8] = []
        Base64URL.encode(Array(header.utf8), into: &input)
        input.append(UInt8(ascii: "."))
        Base64URL.encode(Array(payload.utf8), into: &input)
        return String(decoding: input, as: UTF8.self) + "." + Base64URL.encode(try key.sign(input))
    }

    static func settings(
        refresh: Duration = .seconds(3600), minRefresh: Duration = .milliseconds(1), maxRefresh: Duration = .seconds(86400),
        cooldown: Duration = .seconds(60), maxStale: Duration = .seconds(86400)
    ) -> JWKSSettings {
        JWKSSettings(
            refresh: refresh, minRefresh: minRefresh, maxRefresh: maxRefresh, cooldown: cooldown, maxStale: maxStale,
            timeout: .seconds(2))
    }

    /// Waits (bounded, polling) until `condition` holds.
    static func eventually(within seconds: Double = 5, _ condition: () -> Bool) -> Bool {
        let deadline = Clock.monotonicNanos() + UInt64(seconds * 1e9)
        while !condition() {
            if Clock.monotonicNanos() > deadline { return false }
            usleep(2000)
        }
        return true
    }
}

/// The fetcher's events, recorded for assertions.
final class EventRecorder: Sendable {
    private let events = Mutex<[(name: String, fields: [String: String])]>([])

    var log: KeyFetchLog {
        { [self] name, fields in events.withLock { $0.append((name, fields)) } }
    }

    func count(_ name: String) -> Int { events.withLock { $0.filter { $0.name == name }.count } }
    func last(_ name: String) -> [String: String]? { events.withLock { $0.last { $0.name == name }?.fields } }
    var names: [String] { events.withLock { $0.map(\.name) } }
}

/// A provider, a key set fed from it by a running fetcher, and a verifier reading that set.
final class RemoteIssuer {
    let server: JWKSServer
    let keySet = KeySet()
    let events = EventRecorder()
    let fetcher: KeyFetcher
    let verifier: TokenVerifier
    let issuer: String

    init(
        settings: JWKSSettings, discovery: Bool = false, tls: TLSServerContext? = nil, caFile: String? = nil,
        prepare: (JWKSServer) throws -> Void
    ) throws {
        server = try JWKSServer(tls: tls)
        issuer = server.base
        try prepare(server)
        let source = RemoteKeySource(
            name: "idp", issuer: issuer, location: discovery ? .discovery : .jwksURI(server.base + FetchFixture.jwksPath),
            settings: settings, keySet: keySet, caFile: caFile)
        fetcher = try KeyFetcher(sources: [source], log: events.log)
        verifier = TokenVerifier(issuers: IssuerSet([IssuerProfile(name: "idp", issuer: issuer, keys: [], keySet: keySet)]))
        try fetcher.start()
    }

    var profile: IssuerProfile { IssuerProfile(name: "idp", issuer: issuer, keys: [], keySet: keySet) }

    func verify(_ token: String, verifier: TokenVerifier? = nil) -> Result<VerifiedToken, JWTError> {
        (verifier ?? self.verifier).verify(token, now: FetchFixture.now)
    }

    func stop() {
        fetcher.stop()
        server.stop()
    }
}
