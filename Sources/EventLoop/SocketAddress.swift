import CShim
import Glibc

/// An IPv4 or IPv6 socket address held by value (a sockaddr_storage), parsed from "host:port" or
/// "[v6]:port" text.
public struct SocketAddress: Sendable, CustomStringConvertible {
    public var storage: sockaddr_storage
    public var length: socklen_t

    public init(storage: sockaddr_storage, length: socklen_t) {
        self.storage = storage
        self.length = length
    }

    /// Parses "1.2.3.4:80", "[::1]:80" or "localhost:80" (resolved to 127.0.0.1; no DNS lookups).
    public init?(parsing text: String) {
        var host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard let port = UInt16(portText) else { return nil }
        if host == "localhost" { host = "127.0.0.1" }
        self.init(host: String(host), port: port)
    }

    public init?(host: String, port: UInt16) {
        var ss = sockaddr_storage()
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            sin.sin_addr = v4
            withUnsafeMutableBytes(of: &ss) { dst in withUnsafeBytes(of: &sin) { dst.copyMemory(from: $0) } }
            self.init(storage: ss, length: socklen_t(MemoryLayout<sockaddr_in>.size))
        } else if inet_pton(AF_INET6, host, &v6) == 1 {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            sin6.sin6_addr = v6
            withUnsafeMutableBytes(of: &ss) { dst in withUnsafeBytes(of: &sin6) { dst.copyMemory(from: $0) } }
            self.init(storage: ss, length: socklen_t(MemoryLayout<sockaddr_in6>.size))
        } else {
            return nil
        }
    }

    public var family: Int32 { Int32(storage.ss_family) }

    public var port: UInt16 {
        var s = storage
        return withUnsafeBytes(of: &s) { raw in
            // sin_port and sin6_port sit at the same offset.
            UInt16(bigEndian: raw.load(fromByteOffset: 2, as: UInt16.self))
        }
    }

    /// The raw address bytes: 4 for IPv4, 16 for IPv6.
    public func withAddressBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        var s = storage
        return withUnsafeBytes(of: &s) { raw in
            if family == AF_INET {
                return body(UnsafeRawBufferPointer(rebasing: raw[4..<8]))
            }
            return body(UnsafeRawBufferPointer(rebasing: raw[8..<24]))
        }
    }

    public var host: String {
        var buf = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let ok: Bool = withAddressBytes { bytes in
            inet_ntop(family, bytes.baseAddress, &buf, socklen_t(buf.count)) != nil
        }
        guard ok else { return "?" }
        return buf.withUnsafeBufferPointer { p in
            String(decoding: p.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    public var description: String {
        family == AF_INET6 ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        var s = storage
        return withUnsafePointer(to: &s) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}
