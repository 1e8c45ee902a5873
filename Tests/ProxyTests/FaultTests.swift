import EventLoop
import Glibc
import Synchronization
import Testing

/// The parent of every fault-injection suite (Fault*Tests.swift): `.serialized` is inherited by the nested
/// suites, so no two of them hold sockets at once and each descriptor count is compared with its own baseline.
@Suite(.serialized) struct FaultTests {}

/// Socket-level tools the fault suites share: bare idle connections, the descriptor limit.
enum FaultSocket {
    /// A blocking TCP connection to 127.0.0.1:`port` that sends nothing yet; nil when the connect fails.
    static func connectIdle(port: UInt16) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        // Reads give up after 5 s, so a test waiting for an answer that never comes fails instead of hanging.
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        addr.sin_port = port.bigEndian
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// Whether a fresh connect to 127.0.0.1:`port` is refused (nothing listens any more).
    static func connectRefused(port: UInt16) -> Bool {
        guard let fd = connectIdle(port: port) else { return errno == ECONNREFUSED }
        close(fd)
        return false
    }

    /// Raises the soft RLIMIT_NOFILE to at least `count` (never above the hard limit); returns the soft limit now set.
    @discardableResult
    static func raiseDescriptorLimit(to count: Int) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        if limit.rlim_cur < rlim_t(count) {
            limit.rlim_cur = min(rlim_t(count), limit.rlim_max)
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return Int(limit.rlim_cur)
    }
}

/// Runs a blocking body on its own thread and lets the test await its end with a bound, so a body that hangs
/// (a drain that never finishes) fails the test instead of blocking the whole run.
final class FaultBackground: Sendable {
    private let thread = WorkerThread()
    private let done = Atomic<Bool>(false)

    init(name: String, _ body: @escaping @Sendable () -> Void) throws {
        try thread.start(name: name) { [self] in
            body()
            done.store(true, ordering: .releasing)
        }
    }

    var finished: Bool { done.load(ordering: .acquiring) }

    /// Waits up to `timeout` seconds for the body to return; joins the thread only then.
    func finish(within timeout: Double) -> Bool {
        guard waitUntil(timeout: timeout, { finished }) else { return false }
        thread.join()
        return true
    }
}
