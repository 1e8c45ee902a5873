import Store

/// The mirror's own connection with what the poller remembers between polls.
final class PollConnection {
    let database: Database
    /// The change counter the published set was built at.
    var counter: Int64 = 0
    var lastPrune = ContinuousClock.now

    init(databasePath: String) throws(StoreError) {
        database = try Database(path: databasePath)
    }

    func prune(now: Int64) throws(StoreError) {
        try RevocationStore(database: database).prune(now: now)
        try RefreshTokenStore(database: database).prune(now: now)
    }
}
