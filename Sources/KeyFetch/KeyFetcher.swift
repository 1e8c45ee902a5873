import EventLoop
import Synchronization
import TLS

/// Receives the fetcher's lifecycle events: `keys_refreshed`, `keys_refresh_failed` (with `reason`),
/// `keys_refresh_throttled`, `keys_stale`, `keys_expired`; fields always include `issuer`.
public typealias KeyFetchLog = @Sendable (_ event: String, _ fields: [String: String]) -> Void

/// Keeps remote issuers' `KeySet`s current from their JWK Sets, on one thread with its own event loop,
/// so no worker ever waits on an identity provider. The first fetch starts at `start()`; until it
/// succeeds the key sets stay empty and their routes answer 503 `keys_unavailable`.
public final class KeyFetcher: Sendable {
    public let sources: [RemoteKeySource]
    private let urls: [(jwks: FetchURL?, metadata: FetchURL?)]
    private let contexts: [TLSClientContext?]
    private let log: KeyFetchLog
    private let thread = WorkerThread()
    private let stopping = Atomic<Bool>(false)
    private let state = Mutex<LoopBox?>(nil)

    /// The loop is created by `start()` and handed to the fetcher thread, which alone uses it; the box
    /// outlives the thread so that its wake descriptor stays open until `stop()` has joined.
    private final class LoopBox: @unchecked Sendable {
        let loop: EventLoop
        init(_ loop: EventLoop) { self.loop = loop }
    }

    /// Checks every source's URL (https, or http only to loopback) and loads its CA file.
    public init(sources: [RemoteKeySource], log: @escaping KeyFetchLog) throws(KeyFetchError) {
        var urls: [(jwks: FetchURL?, metadata: FetchURL?)] = []
        var contexts: [TLSClientContext?] = []
        for source in sources {
            let url: FetchURL
            let what: String
            switch source.location {
            case .jwksURI(let text):
                guard let u = FetchURL(parsing: text) else {
                    throw KeyFetchError("issuer \(source.name): jwks_uri \"\(text)\" is not an http(s) URL")
                }
                (url, what) = (u, "jwks_uri")
            case .discovery:
                guard let u = Discovery.metadataURL(for: source.issuer) else {
                    throw KeyFetchError("issuer \(source.name): discovery needs iss to be an http(s) URL")
                }
                (url, what) = (u, "the discovery URL")
            }
            guard url.isTrustworthy else {
                throw KeyFetchError("issuer \(source.name): \(what) must be https (plain http only to a loopback address)")
            }
            // Discovery may name an https jwks_uri even when the metadata came over loopback http.
            if url.scheme == .https || source.location == .discovery {
                do {
                    contexts.append(try TLSClientContext(caFile: source.caFile))
                } catch {
                    throw KeyFetchError("issuer \(source.name): \(error)")
                }
            } else {
                contexts.append(nil)
            }
            switch source.location {
            case .jwksURI: urls.append((url, nil))
            case .discovery: urls.append((nil, url))
            }
        }
        self.sources = sources
        self.urls = urls
        self.contexts = contexts
        self.log = log
    }

    /// Starts the fetcher thread; the first fetch of every source begins at once.
    public func start() throws(KeyFetchError) {
        guard !stopping.load(ordering: .acquiring) else { throw KeyFetchError("a stopped key fetcher cannot restart") }
        let box: LoopBox
        do {
            box = LoopBox(try EventLoop())
        } catch {
            throw KeyFetchError("cannot create the key fetcher's event loop: \(error)")
        }
        let fresh = state.withLock { current -> Bool in
            guard current == nil else { return false }
            current = box
            return true
        }
        guard fresh else { throw KeyFetchError("the key fetcher is already started") }
        let wakeFD = box.loop.wakeDescriptor
        for source in sources { source.keySet.setWakeHandler { EventLoop.wake(fd: wakeFD) } }
        do {
            try thread.start(name: "key-fetch") { [self] in run(box.loop) }
        } catch {
            for source in sources { source.keySet.setWakeHandler(nil) }
            state.withLock { $0 = nil }
            throw KeyFetchError("cannot start the key fetcher thread: \(error)")
        }
    }

    /// Stops the thread, abandoning fetches in flight; the key sets keep their keys. Idempotent; a
    /// stopped fetcher does not restart (a reload makes a new one).
    public func stop() {
        guard let box = state.withLock({ $0 }) else { return }
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        for source in sources { source.keySet.setWakeHandler(nil) }
        EventLoop.wake(fd: box.loop.wakeDescriptor)
        thread.join()
        state.withLock { $0 = nil }
    }

    private func run(_ loop: EventLoop) {
        let fetches = sources.indices.map { i in
            IssuerFetch(
                source: sources[i], jwksURL: urls[i].jwks, metadataURL: urls[i].metadata, tls: contexts[i], loop: loop,
                log: log)
        }
        while !stopping.load(ordering: .acquiring) {
            let now = Clock.monotonicNanos()
            var next = UInt64.max
            for f in fetches { next = min(next, f.tick(now: now)) }
            let waitMs: Int32 =
                next == .max ? -1 : next <= now ? 0 : Int32(clamping: (next - now + 999_999) / 1_000_000)
            loop.runOnce(maxWaitMs: waitMs)
        }
        for f in fetches { f.shutdown() }
    }
}
