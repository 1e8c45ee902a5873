import CShim
import Glibc

/// Thin wrappers over the socket calls the gateway makes, returning results as values so callers switch
/// on them instead of reading errno.
public enum Socket {
    public enum IOResult: Equatable {
        case bytes(Int)
        case wouldBlock
        case closed  // read returned 0
        case failed(Int32)
    }

    /// A non-blocking listening socket with SO_REUSEPORT, so each worker can own one for the same address
    /// and the kernel spreads new connections across them.
    public static func listen(_ address: SocketAddress, backlog: Int32 = 4096, reusePort: Bool = true) throws(SystemError) -> Int32 {
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if fd < 0 { throw SystemError("socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if reusePort, setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size)) != 0 {
            let e = SystemError("setsockopt(SO_REUSEPORT)")
            close(fd)
            throw e
        }
        if address.family == AF_INET6 {
            setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        let rc = address.withSockaddr { bind(fd, $0, $1) }
        if rc != 0 {
            let e = SystemError("bind(\(address))")
            close(fd)
            throw e
        }
        if Glibc.listen(fd, backlog) != 0 {
            let e = SystemError("listen")
            close(fd)
            throw e
        }
        return fd
    }

    /// The address a socket is bound to (to learn an ephemeral port).
    public static func localAddress(_ fd: Int32) -> SocketAddress? {
        var ss = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &ss) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return rc == 0 ? SocketAddress(storage: ss, length: len) : nil
    }

    public enum AcceptResult {
        case accepted(Int32, SocketAddress)
        case wouldBlock
        case failed(Int32)
    }

    /// accept4 with SOCK_NONBLOCK|SOCK_CLOEXEC; sets TCP_NODELAY on the new socket.
    public static func accept(_ listener: Int32) -> AcceptResult {
        var ss = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let fd = withUnsafeMutablePointer(to: &ss) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                cshim_accept4(listener, $0, &len, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
            }
        }
        if fd < 0 {
            let e = errno
            return e == EAGAIN || e == EWOULDBLOCK ? .wouldBlock : .failed(e)
        }
        setNoDelay(fd)
        return .accepted(fd, SocketAddress(storage: ss, length: len))
    }

    public static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    public enum ConnectResult {
        case connected(Int32)
        case inProgress(Int32)
        case failed(Int32)
    }

    /// Starts a non-blocking connect; completion shows up as writability, then `pendingError` tells how it went.
    public static func connect(_ address: SocketAddress) -> ConnectResult {
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if fd < 0 { return .failed(errno) }
        setNoDelay(fd)
        let rc = address.withSockaddr { Glibc.connect(fd, $0, $1) }
        if rc == 0 { return .connected(fd) }
        let e = errno
        if e == EINPROGRESS { return .inProgress(fd) }
        close(fd)
        return .failed(e)
    }

    /// SO_ERROR of a socket: 0 once a non-blocking connect succeeded.
    public static func pendingError(_ fd: Int32) -> Int32 {
        var err: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 { return errno }
        return err
    }

    @inline(__always)
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n > 0 { return .bytes(n) }
            if n == 0 { return .closed }
            let e = errno
            if e == EINTR { continue }  // a signal, not an answer: ask again
            if e == EAGAIN || e == EWOULDBLOCK { return .wouldBlock }
            return .failed(e)
        }
    }

    @inline(__always)
    public static func write(_ fd: Int32, from buffer: UnsafeRawBufferPointer) -> IOResult {
        while true {
            let n = Glibc.send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            if n >= 0 { return .bytes(n) }
            let e = errno
            if e == EINTR { continue }
            if e == EAGAIN || e == EWOULDBLOCK { return .wouldBlock }
            return .failed(e)
        }
    }

    /// Closes with an RST instead of a FIN (SO_LINGER 0): for connections we refuse outright.
    public static func abort(_ fd: Int32) {
        var l = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
        close(fd)
    }

    public static func shutdownWrite(_ fd: Int32) {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }
}
