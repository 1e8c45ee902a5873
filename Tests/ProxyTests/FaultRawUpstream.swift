import EventLoop
import Glibc
import Synchronization

/// An upstream that answers every request head with fixed bytes and then, with `holdOpen`, keeps the connection
/// open until the gateway closes it: the gateway must judge a bad response from its bytes alone, not from an EOF
/// that would end it anyway (TestUpstream's `rawResponse` always closes).
final class FaultRawUpstream: Sendable {
    let port: UInt16
    private let listener: Int32
    private let acceptThread = WorkerThread()
    private let connections = Mutex<(fds: Set<Int32>, threads: [WorkerThread], stopping: Bool)>(([], [], false))

    init(response: [UInt8], holdOpen: Bool) throws {
        let (fd, boundPort) = try KitWire.listenLoopback(backlog: 64)
        port = boundPort
        listener = fd
        try acceptThread.start(name: "raw-upstream") { [self] in
            acceptLoop(response: response, holdOpen: holdOpen)
        }
    }

    private func acceptLoop(response: [UInt8], holdOpen: Bool) {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            let thread = WorkerThread()
            let admitted = connections.withLock { state -> Bool in
                guard !state.stopping else { return false }
                state.fds.insert(fd)
                state.threads.append(thread)
                return true
            }
            guard admitted else {
                close(fd)
                return
            }
            do {
                try thread.start(name: "raw-upstream-conn") { [self] in
                    serve(fd, response: response, holdOpen: holdOpen)
                }
            } catch {
                connections.withLock { state in
                    state.fds.remove(fd)
                    close(fd)
                }
            }
        }
    }

    private func serve(_ fd: Int32, response: [UInt8], holdOpen: Bool) {
        let stream = KitStream(fd: fd)
        var tv = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        // The request head: lines up to the empty one (the fault tests send GETs, so no body follows).
        while let line = try? stream.readLine(), !line.isEmpty {}
        kitSendAll(fd, response)
        if holdOpen {
            _ = stream.readToEnd()
        } else {
            shutdown(fd, Int32(SHUT_WR))
            _ = stream.readToEnd()
        }
        connections.withLock { state in
            state.fds.remove(fd)
            close(fd)
        }
    }

    /// Closes the listener and every connection and joins all threads.
    func stop() {
        connections.withLock { state in
            state.stopping = true
            for fd in state.fds { shutdown(fd, Int32(SHUT_RDWR)) }
        }
        shutdown(listener, Int32(SHUT_RDWR))
        acceptThread.join()
        // No connection is admitted once `stopping` is set, so this list is final.
        for t in connections.withLock({ $0.threads }) { t.join() }
        close(listener)
    }
}
