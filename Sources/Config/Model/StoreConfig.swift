/// The SQLite database holding users, refresh tokens and revocations (`store`).
public struct StoreConfig: Sendable, Equatable, Decodable {
    /// Created on first use.
    public var path: ConfigFilePath
    /// How often a running gateway checks the database for revocations made by other processes.
    public var pollInterval: Duration = .seconds(1)
    /// How often expired revocations and refresh tokens are deleted.
    public var pruneInterval: Duration = .seconds(3_600)
    public var jsonPath: String

    public init(from decoder: any Decoder) throws {
        jsonPath = ConfigPath.render(decoder.codingPath)
        let r = try ObjectReader(decoder, known: ConfigKeys.store)
        path = r.require("path", as: ConfigFilePath.self) ?? ConfigFilePath(original: "", resolved: "")
        // The poll interval is how long a token revoked elsewhere (`gateway revoke`) stays usable here.
        pollInterval = r.duration("poll_interval", default: pollInterval, in: .milliseconds(100)...(.seconds(10)))
        pruneInterval = r.duration("prune_interval", default: pruneInterval, in: .seconds(60)...(.seconds(7 * 86_400)))
    }
}
