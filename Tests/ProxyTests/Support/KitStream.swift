import Glibc

/// Blocking reads over one socket with a carry-over buffer. The kit's server and client both parse HTTP through
/// this and `KitWire`, never through the gateway's HTTP1 module, so a parser bug there cannot hide in the tests.
final class KitStream {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    /// Client streams own their socket and close it when dropped, so a test that forgets close() leaks no descriptor
    /// into the next test's FDCount; the upstream closes its sockets itself, under its lock.
    private let ownsDescriptor: Bool
    private(set) var isOpen = true

    init(fd: Int32, ownsDescriptor: Bool = false) {
        self.fd = fd
        self.ownsDescriptor = ownsDescriptor
    }

    deinit {
        if ownsDescriptor { closeDescriptor() }
    }

    func closeDescriptor() {
        guard isOpen else { return }
        isOpen = false
        close(fd)
    }

    var bufferedCount: Int { buffer.count - start }

    /// Reads at least one more byte into the buffer.
    func fill() throws(TestKitError) {
        if start > 0, start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                buffer.append(contentsOf: chunk[0..<n])
                return
            }
            if n == 0 { throw .closedByPeer }
            let e = errno
            if e == EINTR { continue }
            if e == EAGAIN || e == EWOULDBLOCK { throw .timedOut }
            throw .io(errno: e)
        }
    }

    /// One line without its CRLF. A bare LF is an error: the gateway must emit CRLF everywhere.
    func readLine(limit: Int = 64 * 1024) throws(TestKitError) -> [UInt8] {
        var scanned = 0  // relative to `start`, which fill() may move
        while true {
            while start + scanned < buffer.count {
                if buffer[start + scanned] == 0x0A {
                    guard scanned > 0, buffer[start + scanned - 1] == 0x0D else { throw .malformed("bare LF") }
                    let line = Array(buffer[start..<(start + scanned - 1)])
                    start += scanned + 1
                    return line
                }
                scanned += 1
            }
            if scanned > limit { throw .malformed("line longer than \(limit) bytes") }
            try fill()
        }
    }

    func read(exactly n: Int) throws(TestKitError) -> [UInt8] {
        while bufferedCount < n { try fill() }
        let out = Array(buffer[start..<(start + n)])
        start += n
        return out
    }

    /// Everything until the peer closes (or the receive timeout, or an error).
    func readToEnd() -> [UInt8] {
        while true {
            do { try fill() } catch { break }
        }
        return takeBuffered()
    }

    func takeBuffered() -> [UInt8] {
        let out = Array(buffer[start...])
        buffer.removeAll(keepingCapacity: true)
        start = 0
        return out
    }
}

/// Sends every byte, retrying partial writes; false when the peer is gone.
@discardableResult
func kitSendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var sent = 0
    while sent < bytes.count {
        let n = bytes.withUnsafeBytes { p in
            send(fd, p.baseAddress.map { $0 + sent }, bytes.count - sent, Int32(MSG_NOSIGNAL))
        }
        if n > 0 {
            sent += n
        } else if n < 0, errno == EINTR {
            continue
        } else {
            return false
        }
    }
    return true
}
