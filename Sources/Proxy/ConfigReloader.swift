import Config
import EventLoop
import Glibc
import Synchronization

/// Re-reads `gateway.json` and everything it references, validates it exactly as `gateway check` does, and
/// swaps the running gateway onto it; on any problem the running config stays and the problems are logged
/// with their JSON paths. SIGHUP, `gateway reload` and the admin listener's POST /reload all come here, one
/// at a time.
public final class ConfigReloader: Sendable {
    public let path: String
    private let gateway: Gateway
    private let environment: @Sendable (String) -> String?
    private let serial = Mutex<Void>(())
    private let counts = Atomic<Int>(0)
    private let failures = Atomic<Int>(0)

    public struct Report: Sendable {
        public var ok: Bool
        public var message: String
        /// The config's problems, each with its JSON path, when it was refused.
        public var problems: [String]
        public var durationNanos: UInt64
    }

    public init(
        path: String, gateway: Gateway,
        environment: @escaping @Sendable (String) -> String? = { getenv($0).map { String(cString: $0) } }
    ) {
        self.path = path
        self.gateway = gateway
        self.environment = environment
    }

    /// Reloads attempted and failed since start.
    public var reloads: (total: Int, failed: Int) { (counts.load(ordering: .relaxed), failures.load(ordering: .relaxed)) }

    @discardableResult
    public func reload() -> Report {
        serial.withLock { _ in
            let start = Clock.monotonicNanos()
            counts.add(1, ordering: .relaxed)
            let result = attempt(start: start)
            if !result.ok { failures.add(1, ordering: .relaxed) }
            gateway.metrics.recordReload(ok: result.ok)
            var fields = ["config": path, "duration_ms": formatMillis(result.durationNanos)]
            if result.ok {
                fields["changes"] = result.message
                Lifecycle.log("reload_ok", fields)
            } else {
                fields["error"] = result.message
                for (i, p) in result.problems.enumerated() { fields["problem_\(i + 1)"] = p }
                Lifecycle.log("reload_failed", fields, level: .error)
            }
            return result
        }
    }

    private func attempt(start: UInt64) -> Report {
        let config: GatewayConfig
        switch ConfigLoader.load(path: path) {
        case .success(let c): config = c
        case .failure(let errors): return refused(errors, start: start)
        }
        let snapshot: Snapshot
        switch SnapshotBuilder.build(config, environment: environment, previous: gateway.snapshot) {
        case .success(let s): snapshot = s
        case .failure(let errors): return refused(errors, start: start)
        }
        do {
            let outcome = try gateway.reload(to: snapshot)
            return Report(ok: true, message: outcome.description, problems: [], durationNanos: Clock.monotonicNanos() - start)
        } catch {
            return Report(ok: false, message: "\(error); the running config stays", problems: [], durationNanos: Clock.monotonicNanos() - start)
        }
    }

    private func refused(_ errors: ConfigErrors, start: UInt64) -> Report {
        Report(
            ok: false, message: "the config has \(errors.problems.count) problem(s); the running config stays",
            problems: errors.problems.map(\.description), durationNanos: Clock.monotonicNanos() - start)
    }

    private func formatMillis(_ nanos: UInt64) -> String {
        let tenths = nanos / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }
}
