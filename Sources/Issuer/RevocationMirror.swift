import Glibc
import Store
import Synchronization

/// The in-memory revocation set shared by all workers, kept in step with the database by a poller thread.
///
/// Ordering rule that keeps `add` from being lost: `add` is only called after the revocation was committed.
/// A poll notes the add sequence number before it reads its snapshot and, when it publishes, re-applies every
/// add made since then. An add made before the snapshot read began is already in the database (committed
/// before `add`), so the snapshot holds it; an add made during the read may or may not be in the snapshot, so
/// it is inserted again (inserting is idempotent). A poll that read an older database state therefore never
/// publishes a set without a revocation this process added.
public final class RevocationMirror: Sendable {
    private struct Published: Sendable {
        var version = 0
        var set = RevocationSet()
        /// Adds since the snapshot the running poll read, with their sequence numbers.
        var recentAdds: [(sequence: Int, revocation: Revocation)] = []
        var addSequence = 0
    }

    private struct Poller: Sendable {
        var stopping = false
        var thread: pthread_t?
    }

    private let published = Mutex(Published())
    private let publishedVersion = Atomic<Int>(0)
    private let poller = Monitor(Poller())
    /// Used only by `init` and then by the poller thread; the mutex makes handing it over safe.
    private let connection: Mutex<PollConnection>
    private let pollInterval: Duration
    private let pruneInterval: Duration

    /// Opens the database (migrating it) and loads the active revocations once.
    public init(databasePath: String, pollInterval: Duration, pruneInterval: Duration) throws(StoreError) {
        let connection = try PollConnection(databasePath: databasePath)
        let snapshot = try RevocationStore(database: connection.database).snapshot(now: UnixTime.now())
        connection.counter = snapshot.counter
        self.connection = Mutex(connection)
        self.pollInterval = pollInterval
        self.pruneInterval = pruneInterval
        published.withLock { $0.set = snapshot.revocations }
    }

    deinit {
        stop()
    }

    /// Starts the poller thread (polls changeCounter; reloads the set only on change; prunes). Idempotent.
    public func start() {
        poller.update { state in
            guard state.thread == nil, !state.stopping else { return }
            state.thread = ServiceThread.start { [self] in pollUntilStopped() }
        }
    }

    /// Stops and joins the poller thread; it wakes from its wait at once.
    public func stop() {
        let thread = poller.update { state in
            state.stopping = true
            defer { state.thread = nil }
            return state.thread
        }
        if let thread { ServiceThread.join(thread) }
    }

    /// Bumped on every published change; workers compare with their copy's version (one atomic load per request).
    public var version: Int { publishedVersion.load(ordering: .acquiring) }

    public func current() -> (version: Int, set: RevocationSet) {
        published.withLock { ($0.version, $0.set) }
    }

    /// Publishes a revocation this process just committed, without waiting for the next poll.
    public func add(_ revocation: Revocation) {
        published.withLock { state in
            state.addSequence += 1
            state.recentAdds.append((state.addSequence, revocation))
            state.set.insert(revocation)
            Self.bump(&state, publishedVersion)
        }
    }

    /// One poll now, on the calling thread; true when the set was reloaded.
    @discardableResult
    func poll() -> Bool {
        connection.withLock { connection in
            let now = UnixTime.now()
            if connection.lastPrune.duration(to: .now) >= pruneInterval {
                connection.lastPrune = .now
                // A failed prune is retried at the next interval; pruning is housekeeping, not a safety check.
                _ = try? connection.prune(now: now)
            }
            let startSequence = published.withLock { $0.addSequence }
            // A failed read keeps the current set and counter, so the next poll tries again.
            guard let counter = try? RevocationStore(database: connection.database).changeCounter(),
                counter != connection.counter,
                let snapshot = try? RevocationStore(database: connection.database).snapshot(now: now)
            else { return false }
            connection.counter = snapshot.counter
            published.withLock { state in
                var set = snapshot.revocations
                state.recentAdds.removeAll { $0.sequence <= startSequence }
                for add in state.recentAdds { set.insert(add.revocation) }
                state.set = set
                Self.bump(&state, publishedVersion)
            }
            return true
        }
    }

    private func pollUntilStopped() {
        while !poller.wait(until: { $0.stopping }, timeout: pollInterval) {
            poll()
        }
    }

    private static func bump(_ state: inout Published, _ version: borrowing Atomic<Int>) {
        state.version += 1
        version.store(state.version, ordering: .releasing)
    }
}
