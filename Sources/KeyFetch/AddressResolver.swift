import EventLoop
import Glibc

/// Turns a URL host into a socket address. Names go through getaddrinfo, which blocks: acceptable
/// because it runs only on the fetcher's own thread, never on a worker (the resolver's own timeouts
/// bound it; the fetch timeout starts after it).
enum AddressResolver {
    static func resolve(_ host: String, port: UInt16) -> Result<SocketAddress, KeyFetchError> {
        if let literal = SocketAddress(host: host, port: port) { return .success(literal) }
        if host == "localhost", let loopback = SocketAddress(host: "127.0.0.1", port: port) { return .success(loopback) }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            return .failure(KeyFetchError("cannot resolve \(host): \(String(cString: gai_strerror(rc)))"))
        }
        defer { freeaddrinfo(first) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let e = entry {
            let info = e.pointee
            if let addr = info.ai_addr, info.ai_family == AF_INET || info.ai_family == AF_INET6,
                Int(info.ai_addrlen) <= MemoryLayout<sockaddr_storage>.size
            {
                var storage = sockaddr_storage()
                withUnsafeMutableBytes(of: &storage) { dst in
                    dst.copyMemory(from: UnsafeRawBufferPointer(start: addr, count: Int(info.ai_addrlen)))
                }
                return .success(SocketAddress(storage: storage, length: info.ai_addrlen))
            }
            entry = info.ai_next
        }
        return .failure(KeyFetchError("cannot resolve \(host): no IPv4 or IPv6 address"))
    }
}
