import Synchronization

/// An issuer's keys when they come from a remote JWK Set: replaced by the key fetcher, read by every
/// worker. Workers keep their own copy and compare `version` (one atomic load) before each use, so the
/// lock is taken only when the keys actually changed.
public final class KeySet: Sendable {
    private let keys: Mutex<[VerificationKey]>
    private let currentVersion = Atomic<Int>(0)
    private let refreshWanted = Atomic<Bool>(false)
    private let wake: Mutex<(@Sendable () -> Void)?>

    /// Empty keys mean "not available yet": tokens of the issuer fail with `JWTError.keysUnavailable`.
    public init(keys: [VerificationKey] = []) {
        self.keys = Mutex(keys)
        wake = Mutex(nil)
    }

    /// Bumped by every `replace`; a cached verification made under another version is re-checked.
    public var version: Int { currentVersion.load(ordering: .acquiring) }

    /// The keys and the version they belong to, read together.
    public func current() -> (keys: [VerificationKey], version: Int) {
        keys.withLock { ($0, currentVersion.load(ordering: .relaxed)) }
    }

    /// Whether any key is available now (readiness checks).
    public var hasKeys: Bool { keys.withLock { !$0.isEmpty } }

    /// Publishes a new key list (empty withdraws all keys).
    public func replace(_ newKeys: [VerificationKey]) {
        keys.withLock { stored in
            stored = newKeys
            currentVersion.wrappingAdd(1, ordering: .releasing)
        }
    }

    /// Asks the fetcher for a refetch. Callable from any worker and never blocks on I/O: only the first
    /// request after the fetcher took the last one wakes it, so a flood of unknown `kid`s costs one atomic
    /// exchange each.
    public func requestRefresh() {
        guard !refreshWanted.exchange(true, ordering: .acquiringAndReleasing) else { return }
        // Called under the lock so that `setWakeHandler(nil)` guarantees no later call of the old handler
        // (whose descriptor may be closed and reused once its fetcher stopped).
        wake.withLock { $0?() }
    }

    /// Whether a refetch was requested and not yet taken.
    public var isRefreshRequested: Bool { refreshWanted.load(ordering: .acquiring) }

    /// The fetcher takes the pending request (true if there was one).
    public func takeRefreshRequest() -> Bool {
        refreshWanted.exchange(false, ordering: .acquiringAndReleasing)
    }

    /// Installed by the fetcher that serves this set; nil detaches it.
    public func setWakeHandler(_ handler: (@Sendable () -> Void)?) {
        wake.withLock { $0 = handler }
    }
}
