import EventLoop
import JWT
import TLS

/// One remote issuer's schedule and its fetch in flight; lives on the fetcher's thread.
///
/// Single flight: at most one fetch per issuer at a time, and every refresh request made before it
/// completes is answered by it. On-demand fetches (an unknown `kid`) wait out the cooldown since the last
/// attempt, so a flood of random `kid`s causes at most one fetch per cooldown; a request that arrives
/// during the cooldown is served when it ends. Scheduled refreshes come at 90% of the keys' lifetime, so
/// new keys normally arrive before the old ones go stale.
final class IssuerFetch {
    let source: RemoteKeySource
    private let log: KeyFetchLog
    private let loop: EventLoop
    private var jwksURL: FetchURL?
    private let metadataURL: FetchURL?
    private var fetch: HTTPFetch?
    private var lastAttempt: UInt64?
    private var nextRefresh: UInt64 = 0
    private var freshUntil: UInt64?
    private var expiresAt: UInt64?
    private var lastBody: [UInt8]?
    private var staleLogged = false
    private var throttleLogged = false

    private let tls: TLSClientContext?

    init(
        source: RemoteKeySource, jwksURL: FetchURL?, metadataURL: FetchURL?, tls: TLSClientContext?, loop: EventLoop,
        log: @escaping KeyFetchLog
    ) {
        self.source = source
        self.tls = tls
        self.jwksURL = jwksURL
        self.metadataURL = metadataURL
        self.loop = loop
        self.log = log
    }

    private var settings: JWKSSettings { source.settings }

    /// Does what is due at `now` and returns when it next needs to run.
    func tick(now: UInt64) -> UInt64 {
        if let fresh = freshUntil, now >= fresh, !staleLogged {
            staleLogged = true
            log("keys_stale", ["issuer": source.name, "reason": "the keys' lifetime ended and no refresh has succeeded"])
        }
        if let expiry = expiresAt, now >= expiry {
            // Stale-if-error ends here: serving keys older than max_stale could keep a revoked key trusted.
            source.keySet.replace([])
            lastBody = nil
            freshUntil = nil
            expiresAt = nil
            log("keys_expired", ["issuer": source.name, "reason": "no refresh succeeded within max_stale"])
        }
        if let f = fetch, now >= f.deadline { f.cancel("timed out") }
        if fetch == nil {
            let wanted = source.keySet.isRefreshRequested
            let cooledDown = lastAttempt.map { now >= later($0, settings.cooldown) } ?? true
            if now >= nextRefresh || (wanted && cooledDown) {
                begin(now: now)
            } else if wanted && !throttleLogged {
                throttleLogged = true
                log("keys_refresh_throttled", ["issuer": source.name, "reason": "cooldown"])
            }
        }
        var next = UInt64.max
        if let f = fetch {
            next = f.deadline
        } else {
            next = nextRefresh
            if source.keySet.isRefreshRequested, let last = lastAttempt { next = min(next, later(last, settings.cooldown)) }
        }
        if let fresh = freshUntil, !staleLogged { next = min(next, fresh) }
        if let expiry = expiresAt { next = min(next, expiry) }
        return next
    }

    /// Abandons the fetch in flight (the fetcher is stopping).
    func shutdown() {
        fetch?.cancel("the key fetcher stopped")
        fetch = nil
    }

    private func begin(now: UInt64) {
        _ = source.keySet.takeRefreshRequest()
        lastAttempt = now
        throttleLogged = false
        if let url = jwksURL {
            get(url) { [weak self] outcome in self?.receivedKeys(outcome, from: url) }
        } else if let url = metadataURL {
            get(url) { [weak self] outcome in self?.receivedMetadata(outcome, from: url) }
        }
    }

    private func get(_ url: FetchURL, then handle: @escaping (HTTPFetch.Outcome) -> Void) {
        let address: SocketAddress
        switch AddressResolver.resolve(url.host, port: url.port) {
        case .success(let a): address = a
        case .failure(let e): return failed(url, e.message)
        }
        var completed = false
        let started = HTTPFetch.start(url, address: address, loop: loop, timeout: settings.timeout, tls: tls) { [weak self] outcome in
            completed = true
            self?.fetch = nil
            handle(outcome)
        }
        if !completed { fetch = started }
    }

    private func receivedMetadata(_ outcome: HTTPFetch.Outcome, from url: FetchURL) {
        switch outcome {
        case .failed(let why):
            failed(url, why)
        case .response(let status, _, let body):
            guard status == 200 else { return failed(url, "status \(status)") }
            switch Discovery.jwksURL(fromMetadata: body, issuer: source.issuer) {
            case .failure(let e): failed(url, e.message)
            case .success(let keysURL):
                // Kept for later refreshes: the metadata names a stable key URL (OIDC Discovery §3).
                jwksURL = keysURL
                get(keysURL) { [weak self] outcome in self?.receivedKeys(outcome, from: keysURL) }
            }
        }
    }

    private func receivedKeys(_ outcome: HTTPFetch.Outcome, from url: FetchURL) {
        let status: Int
        let maxAge: Int?
        let body: [UInt8]
        switch outcome {
        case .failed(let why): return failed(url, why)
        case .response(let s, let m, let b): (status, maxAge, body) = (s, m, b)
        }
        // A failed or garbled answer never replaces good keys: it may be a provider outage or an attack.
        guard status == 200 else { return failed(url, "status \(status)") }
        let keys: [VerificationKey]
        do throws(KeyError) {
            keys = try JWKS.parse(body, allowedAlgorithms: source.algorithms)
        } catch {
            return failed(url, "invalid JWKS: \(error.message)")
        }
        let now = Clock.monotonicNanos()
        let changed = lastBody != body
        if changed {
            source.keySet.replace(keys)
            lastBody = body
        }
        let lifetime = settings.lifetime(maxAge: maxAge)
        let fresh = later(now, lifetime)
        freshUntil = fresh
        expiresAt = later(fresh, settings.maxStale)
        nextRefresh = now &+ lifetime.nanoseconds / 10 * 9
        staleLogged = false
        _ = source.keySet.takeRefreshRequest()
        log(
            "keys_refreshed",
            [
                "issuer": source.name, "uri": url.description, "keys": String(keys.count),
                "lifetime_s": String(lifetime.components.seconds), "changed": changed ? "true" : "false",
            ])
    }

    private func failed(_ url: FetchURL, _ reason: String) {
        nextRefresh = later(Clock.monotonicNanos(), settings.cooldown)
        log("keys_refresh_failed", ["issuer": source.name, "uri": url.description, "reason": reason])
    }

    private func later(_ t: UInt64, _ d: Duration) -> UInt64 {
        let (sum, overflow) = t.addingReportingOverflow(d.nanoseconds)
        return overflow ? .max : sum
    }
}
