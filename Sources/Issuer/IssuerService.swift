import Glibc
import JWT
import Store
import Synchronization

/// The gateway's token issuer: runs logins, refreshes, logouts and registrations on its own bounded thread
/// pool, because scrypt (~100 ms) and fsynced commits must never block a gateway worker.
public final class IssuerService: Sendable {
    public let settings: IssuerSettings
    /// {"keys":[...]} of the signing key's public half (empty list for HMAC: a secret is never published).
    public let jwksDocument: [UInt8]

    private struct Job: Sendable {
        let request: IssuerRequest
        let completion: @Sendable (IssuerReply) -> Void
    }

    private struct Queue: Sendable {
        var jobs: [Job] = []
        var closed = false
    }

    private let queue = Monitor(Queue())
    private let threads: Mutex<[pthread_t]>

    /// Opens and migrates the database, then starts `settings.threads` threads, each with its own connection.
    public init(settings: IssuerSettings, revocations: RevocationMirror) throws(StoreError) {
        for role in settings.registerRoles where !User.isValidRole(role) { throw .invalid(field: "role", value: role) }
        self.settings = settings
        do throws(KeyError) {
            jwksDocument = try settings.signingKey.publicJWKSDocument()
        } catch {
            throw .crypto("cannot export the signing key's public half: \(error.message)")
        }
        // Computes the dummy hash once for all threads.
        let hasher = try PasswordHasher(parameters: settings.scrypt)
        var started: [pthread_t] = []
        for index in 0..<max(settings.threads, 1) {
            let worker: IssuerWorker
            do throws(StoreError) {
                worker = try IssuerWorker(settings: settings, hasher: hasher, revocations: revocations, migrate: index == 0)
            } catch {
                queue.update { $0.closed = true }
                started.forEach(ServiceThread.join)
                throw error
            }
            // The worker, and the connection it owns, moves to its thread and is used nowhere else.
            started.append(ServiceThread.start { [queue] in Self.run(worker, queue) })
        }
        threads = Mutex(started)
    }

    /// Queues the job; the completion runs on a service thread after every write was committed.
    /// False (nothing queued) when maxQueued jobs are pending: the caller answers 503.
    public func submit(_ request: IssuerRequest, completion: @escaping @Sendable (IssuerReply) -> Void) -> Bool {
        let limit = settings.maxQueued
        return queue.update { queue in
            guard !queue.closed, queue.jobs.count < limit else { return false }
            queue.jobs.append(Job(request: request, completion: completion))
            return true
        }
    }

    /// Finishes the queued jobs, then joins the threads. Later submits are refused.
    public func shutdown() {
        queue.update { $0.closed = true }
        let running = threads.withLock { threads in
            defer { threads.removeAll() }
            return threads
        }
        running.forEach(ServiceThread.join)
    }

    deinit {
        shutdown()
    }

    private static func run(_ worker: IssuerWorker, _ queue: Monitor<Queue>) {
        // The queue is FIFO and short (maxQueued), so removing from its front costs little.
        while let job = queue.wait(until: { !$0.jobs.isEmpty || $0.closed }, then: { $0.jobs.isEmpty ? nil : $0.jobs.removeFirst() }) {
            job.completion(worker.handle(job.request))
        }
    }
}
