/// What the loop calls for a registered file descriptor. Handlers live on one worker thread only.
public protocol EventHandler: AnyObject {
    /// `events` is the epoll event mask (see `IOEvents`).
    func handleEvent(_ events: UInt32)
    /// A timer scheduled with `EventLoop.schedule(_:at:)` came due. The handler compares `now` with its own
    /// deadline: the deadline may have moved later since the timer was queued (then it schedules again).
    func handleTimer(now: UInt64)
}

/// epoll event bits, named once so that no other module needs the C shim.
public enum IOEvents {
    public static let readable: UInt32 = 0x001  // EPOLLIN
    public static let writable: UInt32 = 0x004  // EPOLLOUT
    public static let error: UInt32 = 0x008  // EPOLLERR
    public static let hangup: UInt32 = 0x010  // EPOLLHUP
    public static let readHangup: UInt32 = 0x2000  // EPOLLRDHUP
    static let edgeTriggered: UInt32 = 1 << 31  // EPOLLET
}
