import EventLoop
import Foundation
import Glibc

/// A real HTTP/1.1 server on 127.0.0.1 (thread per connection, blocking sockets) standing in for a legacy backend.
/// It records every request exactly as the gateway framed it and answers with a programmable behaviour per path prefix.
final class TestUpstream: @unchecked Sendable {
    private(set) var port: UInt16 = 0

    // Everything below is guarded by `lock`, which is also the condition that `waitForRequests` and `delay` wait on.
    private let lock = NSCondition()
    private var receivedLog: [Received] = []
    private var errorLog: [String] = []
    private var accepted = 0
    private var aborted = 0
    private var behaviors: [(prefix: String, behavior: Behavior)] = []
    private var openFDs: Set<Int32> = []
    private var connectionThreads: [WorkerThread] = []
    private var stopping = false
    private var listenFD: Int32 = -1
    private let acceptThread = WorkerThread()

    init() {}

    /// Binds 127.0.0.1 on an ephemeral port and starts accepting.
    func start() throws {
        let (fd, boundPort) = try KitWire.listenLoopback(backlog: 512)
        port = boundPort
        listenFD = fd
        try acceptThread.start(name: "upstream-accept") { [self] in acceptLoop(fd) }
    }

    /// Closes the listener and every connection (interrupting delays and held connections) and joins all threads.
    func stop() {
        lock.lock()
        if stopping || listenFD < 0 {
            lock.unlock()
            return
        }
        stopping = true
        lock.broadcast()
        shutdown(listenFD, Int32(SHUT_RDWR))
        for fd in openFDs { shutdown(fd, Int32(SHUT_RDWR)) }
        lock.unlock()
        acceptThread.join()
        let threads = locked { connectionThreads }
        for t in threads { t.join() }
        close(listenFD)
    }

    /// Answers requests whose path starts with `prefix` with `behavior`; the longest matching prefix wins.
    func handle(_ prefix: String, _ behavior: Behavior) {
        locked {
            behaviors.removeAll { $0.prefix == prefix }
            behaviors.append((prefix, behavior))
        }
    }

    /// Every complete request received so far, in arrival order.
    var received: [Received] { locked { receivedLog } }
    /// Framing errors in what the gateway sent; each one also closed its connection.
    var protocolErrors: [String] { locked { errorLog } }
    /// Requests the gateway abandoned mid-message (EOF inside a head or body).
    var abortedCount: Int { locked { aborted } }
    var acceptCount: Int { locked { accepted } }
    /// Connections currently open on the upstream side.
    var openConnectionCount: Int { locked { openFDs.count } }

    /// Waits until at least `count` requests were received.
    func waitForRequests(count: Int, timeout: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        lock.lock()
        defer { lock.unlock() }
        while receivedLog.count < count {
            if !lock.wait(until: deadline) { return receivedLog.count >= count }
        }
        return true
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    private func acceptLoop(_ listener: Int32) {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                let e = errno
                if e == EINTR || e == ECONNABORTED { continue }
                return
            }
            lock.lock()
            if stopping {
                lock.unlock()
                close(fd)
                return
            }
            accepted += 1
            let id = accepted
            openFDs.insert(fd)
            let thread = WorkerThread()
            connectionThreads.append(thread)
            lock.unlock()
            do {
                try thread.start(name: "upstream-conn") { [self] in serve(fd, connectionID: id) }
            } catch {
                closeConnection(fd)
            }
        }
    }

    private func closeConnection(_ fd: Int32) {
        // Under the lock so that stop() never shuts down a reused descriptor number.
        locked {
            openFDs.remove(fd)
            close(fd)
        }
    }

    private func serve(_ fd: Int32, connectionID: Int) {
        defer { closeConnection(fd) }
        let stream = KitStream(fd: fd)
        while true {
            let request: Received
            do {
                guard let r = try readRequest(stream, connectionID: connectionID) else { return }
                request = r
            } catch {
                locked {
                    if case .malformed(let why) = error {
                        errorLog.append("connection \(connectionID): \(why)")
                    } else {
                        aborted += 1
                    }
                }
                return
            }
            lock.lock()
            receivedLog.append(request)
            lock.broadcast()
            let behavior = behaviors.filter { request.path.hasPrefix($0.prefix) }.max { $0.prefix.count < $1.prefix.count }?.behavior
            lock.unlock()
            let keepAlive =
                request.version == "HTTP/1.1"
                ? !KitWire.hasToken(request.headers, "connection", "close")
                : KitWire.hasToken(request.headers, "connection", "keep-alive")
            guard respond(behavior, to: request, fd: fd, keepAlive: keepAlive) else {
                finish(fd, stream)
                return
            }
        }
    }

    /// nil when the gateway closed an idle connection between requests.
    private func readRequest(_ stream: KitStream, connectionID: Int) throws(TestKitError) -> Received? {
        let line: [UInt8]
        do {
            line = try stream.readLine()
        } catch .closedByPeer where stream.bufferedCount == 0 {
            return nil
        }
        let parts = line.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(KitWire.isTchar), !parts[1].isEmpty,
            parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { throw .malformed("request line \(String(decoding: line, as: UTF8.self).debugDescription)") }
        let version = String(decoding: parts[2], as: UTF8.self)
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else { throw .malformed("version \(version.debugDescription)") }
        let headers = try KitWire.readHeaders(stream)
        guard KitWire.all(headers, "host").count == 1 || version == "HTTP/1.0" else {
            throw .malformed("HTTP/1.1 request needs exactly one Host")
        }
        var body: [UInt8] = []
        let framing = try KitWire.framing(headers)
        switch framing {
        case .none: break
        case .contentLength(let n): body = try stream.read(exactly: n)
        case .chunked: body = try KitWire.readChunkedBody(stream)
        }
        return Received(
            connectionID: connectionID, method: String(decoding: parts[0], as: UTF8.self),
            target: String(decoding: parts[1], as: UTF8.self), version: version, headers: headers, body: body,
            chunked: framing == .chunked)
    }

    /// Closes our side first, then reads until the gateway closes too: closing with unread input would send an RST
    /// that can destroy the response before the gateway reads it.
    private func finish(_ fd: Int32, _ stream: KitStream) {
        shutdown(fd, Int32(SHUT_WR))
        var tv = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        _ = stream.readToEnd()
    }

    /// Sleeps up to `seconds`; true when interrupted by stop().
    func sleepUnlessStopped(_ seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        lock.lock()
        defer { lock.unlock() }
        while !stopping {
            if !lock.wait(until: deadline) { return stopping }
        }
        return true
    }
}
