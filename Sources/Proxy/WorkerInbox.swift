import EventLoop
import Issuer
import Synchronization

/// Answers from the issuer's threads to one worker: appended under a lock by the issuer, taken by the
/// worker when its event loop is woken. The lock only moves the list; no request waits on it.
final class WorkerInbox: Sendable {
    private struct State {
        var items: [(ticket: UInt64, reply: IssuerReply)] = []
        var closed = false
    }

    private let state = Mutex(State())
    private let wakeFD: Int32

    init(wakeFD: Int32) {
        self.wakeFD = wakeFD
    }

    /// Dropped once the worker has stopped: its loop's eventfd is closed then, and the descriptor number may
    /// already belong to another file.
    func deliver(ticket: UInt64, reply: IssuerReply) {
        state.withLock { s in
            guard !s.closed else { return }
            s.items.append((ticket, reply))
            EventLoop.wake(fd: wakeFD)
        }
    }

    func take() -> [(ticket: UInt64, reply: IssuerReply)] {
        state.withLock { s in
            let taken = s.items
            s.items.removeAll()
            return taken
        }
    }

    /// Called by the worker as it stops, before its loop is released.
    func close() {
        state.withLock { s in
            s.closed = true
            s.items.removeAll()
        }
    }
}
