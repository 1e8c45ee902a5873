import Config
import JWT
import KeyFetch

/// Limiter ids that survive a reload: a limit keeps its id, and so its buckets, while it limits the same
/// thing at the same rate and burst; a changed or new limit gets an id never used before, so no client
/// inherits a bucket filled under another rule.
struct LimiterIDs {
    private(set) var assigned: [String: Int] = [:]
    private let previous: [String: Int]
    /// Above every id ever assigned, not just the previous snapshot's: the limiter still holds the buckets of
    /// a limit an earlier reload removed, and a new limit given its id would inherit them.
    private(set) var next: Int

    init(previous: [String: Int], next previousNext: Int = 0) {
        self.previous = previous
        next = max(previousNext, (previous.values.max() ?? -1) + 1)
    }

    mutating func id(_ what: String, _ spec: LimitSpec) -> Int {
        let key = "\(what) \(spec.rate.perSecond) \(spec.burst)"
        if let id = assigned[key] { return id }
        let id: Int
        if let old = previous[key] {
            id = old
        } else {
            id = next
            next += 1
        }
        assigned[key] = id
        return id
    }
}

extension SnapshotBuilder {
    /// Everything the issuers were built from: their config and every byte of key material, read before the keys
    /// are loaded. Equal to the previous snapshot's, the previous issuers (and the verifiers' caches) are kept; a
    /// key file that changed on disk makes it differ, so a removed key never stays trusted through a cache.
    static func issuersSource(_ config: GatewayConfig, environment: (String) -> String?) -> [[UInt8]] {
        var source: [[UInt8]] = [Array(String(describing: config.issuers).utf8), Array(String(describing: config.issuer).utf8)]
        for issuer in config.issuers {
            for key in issuer.keys {
                switch key.material {
                case .secret(_, let env): source.append(Array((environment(env) ?? "").utf8))
                case .publicKey(_, let file, _): source.append(readFile(file.resolved) ?? [])
                case .jwksFile(let file, _): source.append(readFile(file.resolved) ?? [])
                // Fetched keys live in the issuer's key set, which a kept issuer keeps.
                case .jwksURI(let url, _, _): source.append(Array(url.utf8))
                }
            }
        }
        if let key = config.issuer?.key {
            switch key.material {
            case .secretEnv(let env): source.append(Array((environment(env) ?? "").utf8))
            case .privateKey(let file): source.append(readFile(file.resolved) ?? [])
            }
        }
        return source
    }
}

extension SnapshotBuilder {
    /// The fetch plan of an issuer whose keys come from a JWKS URL or discovery. Its key set is the previous
    /// snapshot's when the issuer's config is unchanged, so a reload keeps the fetched keys (and never serves a
    /// `keys_unavailable` gap).
    static func remoteKeySource(_ issuer: IssuerConfig, previous: Snapshot?) -> RemoteKeySource? {
        let location: RemoteKeySource.Location
        var algorithms: [Algorithm]? = nil
        var ca: String? = nil
        if issuer.discovery {
            location = .discovery
        } else if let key = issuer.keys.first, case .jwksURI(let url, let algs, let caFile) = key.material {
            location = .jwksURI(url)
            algorithms = algs.isEmpty ? nil : algs.map(algorithm)
            ca = caFile?.resolved
        } else {
            return nil
        }
        let j = issuer.jwks
        let settings = JWKSSettings(
            refresh: j.refresh, minRefresh: j.minRefresh, maxRefresh: j.maxRefresh, cooldown: j.cooldown, maxStale: j.maxStale,
            timeout: j.timeout)
        let kept = previous?.keyFetcher?.sources.first { old in
            old.name == issuer.name && old.issuer == issuer.iss && old.location == location && old.algorithms == algorithms
                && old.settings == settings && old.caFile == ca
        }
        return RemoteKeySource(
            name: issuer.name, issuer: issuer.iss, location: location, algorithms: algorithms, settings: settings,
            keySet: kept?.keySet ?? KeySet(), caFile: ca)
    }
}
