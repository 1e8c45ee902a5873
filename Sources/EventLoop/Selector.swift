import CShim
import Glibc

/// The only place that talks to epoll (as redis ae_epoll.c and swift-nio's SelectorEpoll do). Every fd is
/// registered edge-triggered for both directions once; the loop never calls epoll_ctl again until the fd
/// closes, so steady-state traffic costs no epoll_ctl syscalls. The 64-bit event data packs a generation with
/// the fd so that an event for a closed fd whose number was reused is recognised and dropped.
struct Selector: ~Copyable {
    let epfd: Int32
    private var events: UnsafeMutablePointer<epoll_event>
    let capacity: Int

    init(capacity: Int = 256) throws(SystemError) {
        let fd = epoll_create1(Int32(EPOLL_CLOEXEC))
        if fd < 0 { throw SystemError("epoll_create1") }
        epfd = fd
        self.capacity = capacity
        events = .allocate(capacity: capacity)
    }

    deinit {
        events.deallocate()
        close(epfd)
    }

    static func pack(fd: Int32, generation: UInt32) -> UInt64 {
        UInt64(generation) << 32 | UInt64(UInt32(bitPattern: fd))
    }

    func add(fd: Int32, generation: UInt32, interest: UInt32) throws(SystemError) {
        var ev = epoll_event()
        ev.events = interest | IOEvents.edgeTriggered
        ev.data.u64 = Selector.pack(fd: fd, generation: generation)
        if epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) != 0 { throw SystemError("epoll_ctl(ADD)") }
    }

    func remove(fd: Int32) {
        // Closing an fd removes it from the epoll set too; removing first keeps the set exact even when
        // another reference to the open file description (a dup) would keep it alive.
        var ev = epoll_event()
        _ = epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &ev)
    }

    /// Waits up to `timeoutMs` (-1 forever) and calls `body(fd, generation, events)` for each ready fd.
    func wait(timeoutMs: Int32, _ body: (Int32, UInt32, UInt32) -> Void) {
        let n = epoll_wait(epfd, events, Int32(capacity), timeoutMs)
        if n <= 0 { return }  // EINTR or timeout
        for i in 0..<Int(n) {
            let ev = events[i]
            let data = ev.data.u64
            body(Int32(bitPattern: UInt32(truncatingIfNeeded: data)), UInt32(truncatingIfNeeded: data >> 32), ev.events)
        }
    }
}

/// A failed system call that the caller reports (errno captured at the failure).
public struct SystemError: Error, CustomStringConvertible, Sendable {
    public let call: String
    public let errno: Int32
    public init(_ call: String, errno: Int32 = Glibc.errno) {
        self.call = call
        self.errno = errno
    }
    public var description: String {
        "\(call) failed: \(String(cString: strerror(errno)))"
    }
}
