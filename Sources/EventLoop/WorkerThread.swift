import CShim
import Glibc

/// A joinable OS thread (Foundation's Thread has no join).
public final class WorkerThread: @unchecked Sendable {
    // Written only by start() and join() on the owning thread.
    private var handle: pthread_t?

    private final class Box {
        let body: () -> Void
        let name: String
        let cpu: Int?
        init(_ body: @escaping () -> Void, name: String, cpu: Int?) {
            self.body = body
            self.name = name
            self.cpu = cpu
        }
    }

    public init() {}

    /// Starts `body` on a new thread named `name` (shown by top -H), optionally pinned to `cpu`.
    public func start(name: String, cpu: Int? = nil, _ body: @escaping @Sendable () -> Void) throws(SystemError) {
        let box = Unmanaged.passRetained(Box(body, name: name, cpu: cpu)).toOpaque()
        var t = pthread_t()
        let rc = pthread_create(&t, nil, { arg in
            guard let arg else { return nil }
            let box = Unmanaged<Box>.fromOpaque(arg).takeRetainedValue()
            _ = cshim_set_thread_name(box.name)
            if let cpu = box.cpu { _ = cshim_pin_current_thread(Int32(cpu)) }
            box.body()
            return nil
        }, box)
        if rc != 0 {
            Unmanaged<Box>.fromOpaque(box).release()
            throw SystemError("pthread_create", errno: rc)
        }
        handle = t
    }

    public func join() {
        guard let h = handle else { return }
        pthread_join(h, nil)
        handle = nil
    }
}

public enum CPU {
    /// CPUs this process may run on (respects taskset/cgroup affinity).
    public static var available: Int { Int(cshim_available_cpus()) }
}
