import CShim
import Glibc

/// One worker's event loop: an epoll instance, a table of handlers indexed by fd, a timer heap and an eventfd
/// to be woken from other threads. Everything here belongs to the thread that runs `run()`.
public final class EventLoop {
    private var selector: Selector
    private var slots: [Slot] = []
    private var timers = TimerHeap()
    private let wakeFD: Int32
    private var running = false
    private var iterationHooks: [() -> Void] = []
    /// Monotonic time after the latest epoll_wait: callers use it instead of reading the clock per request.
    public private(set) var now: UInt64
    public let id: Int

    private struct Slot {
        var handler: EventHandler?
        var generation: UInt32
    }

    public init(id: Int = 0) throws(SystemError) {
        self.id = id
        selector = try Selector()
        let efd = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        if efd < 0 { throw SystemError("eventfd") }
        wakeFD = efd
        now = Clock.monotonicNanos()
        slots = Array(repeating: Slot(handler: nil, generation: 0), count: 1024)
        try selector.add(fd: efd, generation: 0, interest: IOEvents.readable)
    }

    deinit { close(wakeFD) }

    /// Registers `fd` for readable and writable events (edge-triggered) and returns the generation that
    /// timers must carry.
    @discardableResult
    public func register(_ fd: Int32, _ handler: EventHandler) throws(SystemError) -> UInt32 {
        let i = Int(fd)
        if i >= slots.count {
            slots.append(contentsOf: repeatElement(Slot(handler: nil, generation: 0), count: max(i + 1 - slots.count, slots.count)))
        }
        slots[i].generation &+= 1
        slots[i].handler = handler
        let gen = slots[i].generation
        do {
            try selector.add(fd: fd, generation: gen, interest: IOEvents.readable | IOEvents.writable | IOEvents.readHangup)
        } catch {
            slots[i].handler = nil
            throw error
        }
        return gen
    }

    /// Forgets `fd` (its pending events and timers become stale). The caller closes the fd.
    public func deregister(_ fd: Int32) {
        let i = Int(fd)
        guard i >= 0, i < slots.count else { return }
        selector.remove(fd: fd)
        slots[i].handler = nil
        slots[i].generation &+= 1
    }

    public func generation(of fd: Int32) -> UInt32 {
        let i = Int(fd)
        return i >= 0 && i < slots.count ? slots[i].generation : 0
    }

    /// Queues a timer for the handler registered on `fd`; see `EventHandler.handleTimer`.
    public func schedule(_ fd: Int32, at deadline: UInt64) {
        timers.push(.init(deadline: deadline, fd: fd, generation: generation(of: fd)))
    }

    /// Called once per loop iteration after all events were handled (buffered logs flush here).
    public func addIterationHook(_ hook: @escaping () -> Void) {
        iterationHooks.append(hook)
    }

    /// Wakes the loop from another thread; the loop then runs its `onWake` callback.
    public static func wake(fd: Int32) {
        var one: UInt64 = 1
        _ = write(fd, &one, 8)
    }
    public var wakeDescriptor: Int32 { wakeFD }
    public var onWake: (() -> Void)?

    public func stop() { running = false }

    public func run() {
        running = true
        while running {
            runOnce(maxWaitMs: -1)
        }
    }

    /// One iteration: wait for events (bounded by the next timer), dispatch them, fire due timers.
    public func runOnce(maxWaitMs: Int32) {
        var timeout = maxWaitMs
        if let next = timers.earliest {
            let cur = Clock.monotonicNanos()
            let ms = next > cur ? Int32(clamping: (next - cur + 999_999) / 1_000_000) : 0
            timeout = timeout < 0 ? ms : min(timeout, ms)
        }
        selector.wait(timeoutMs: timeout) { fd, gen, events in
            if fd == wakeFD {
                var value: UInt64 = 0
                _ = read(wakeFD, &value, 8)
                onWake?()
                return
            }
            let i = Int(fd)
            guard i < slots.count, slots[i].generation == gen, let h = slots[i].handler else { return }
            now = Clock.monotonicNanos()
            h.handleEvent(events)
        }
        now = Clock.monotonicNanos()
        while let e = timers.popDue(now: now) {
            let i = Int(e.fd)
            guard i < slots.count, slots[i].generation == e.generation, let h = slots[i].handler else { continue }
            h.handleTimer(now: now)
        }
        for hook in iterationHooks { hook() }
    }
}
