import Glibc

/// The kit's own HTTP/1.1 framing rules (RFC 9112), deliberately strict: whatever the gateway sends to the test
/// upstream or back to the test client must be unambiguous, so anything a lenient peer would guess at is an error here.
enum KitWire {
    /// A listening socket on 127.0.0.1 with an ephemeral port, for the kit's test servers.
    static func listenLoopback(backlog: Int32) throws(TestKitError) -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestKitError.io(errno: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        addr.sin_port = 0
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, backlog) == 0 else {
            let e = errno
            close(fd)
            throw TestKitError.io(errno: e)
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return (fd, UInt16(bigEndian: addr.sin_port))
    }

    typealias Headers = [(String, String)]

    static let maxHeaderCount = 200
    static let maxBodyBytes = 64 * 1024 * 1024

    /// Field lines up to and including the empty line.
    static func readHeaders(_ stream: KitStream) throws(TestKitError) -> Headers {
        var headers: Headers = []
        while true {
            let line = try stream.readLine()
            if line.isEmpty { return headers }
            guard headers.count < maxHeaderCount else { throw .malformed("more than \(maxHeaderCount) fields") }
            headers.append(try parseField(line))
        }
    }

    static func parseField(_ line: [UInt8]) throws(TestKitError) -> (String, String) {
        guard let first = line.first, first != 0x20, first != 0x09 else { throw .malformed("obs-fold or empty field line") }
        guard let colon = line.firstIndex(of: 0x3A) else { throw .malformed("field line without colon") }
        let name = line[..<colon]
        guard !name.isEmpty, name.allSatisfy(isTchar) else {
            throw .malformed("invalid field name \(String(decoding: name, as: UTF8.self).debugDescription)")
        }
        var value = line[(colon + 1)...]
        while let b = value.first, b == 0x20 || b == 0x09 { value = value.dropFirst() }
        while let b = value.last, b == 0x20 || b == 0x09 { value = value.dropLast() }
        guard value.allSatisfy({ ($0 >= 0x20 && $0 != 0x7F) || $0 == 0x09 }) else {
            throw .malformed("control byte in value of \(String(decoding: name, as: UTF8.self))")
        }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    static func isTchar(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        default: Array("!#$%&'*+-.^_`|~".utf8).contains(b)
        }
    }

    static func first(_ headers: Headers, _ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    static func all(_ headers: Headers, _ name: String) -> [String] {
        headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1)
    }

    /// Whether a comma-separated header (e.g. Connection) lists `token`, case-insensitively.
    static func hasToken(_ headers: Headers, _ name: String, _ token: String) -> Bool {
        all(headers, name).contains { value in
            value.split(separator: ",").contains { trim($0).lowercased() == token }
        }
    }

    static func trim(_ s: Substring) -> Substring {
        var s = s
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return s
    }

    enum BodyFraming: Equatable {
        case none
        case contentLength(Int)
        case chunked
    }

    /// How a message's body is delimited by its headers; both framings at once, repeated or malformed lengths
    /// and any transfer coding but a lone "chunked" are errors (each is a smuggling vector in a real deployment).
    static func framing(_ headers: Headers) throws(TestKitError) -> BodyFraming {
        let te = all(headers, "transfer-encoding")
        let cl = all(headers, "content-length")
        if !te.isEmpty {
            guard cl.isEmpty else { throw .malformed("both Transfer-Encoding and Content-Length") }
            guard te.count == 1, te[0].lowercased() == "chunked" else { throw .malformed("Transfer-Encoding \(te)") }
            return .chunked
        }
        guard let only = cl.first else { return .none }
        guard cl.count == 1 else { throw .malformed("\(cl.count) Content-Length fields") }
        guard !only.isEmpty, only.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(only), n <= maxBodyBytes else {
            throw .malformed("Content-Length \(only.debugDescription)")
        }
        return .contentLength(n)
    }

    /// A chunked body (RFC 9112 §7.1) including its trailer section, which is read and discarded.
    static func readChunkedBody(_ stream: KitStream) throws(TestKitError) -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let line = try stream.readLine()
            let sizeDigits = line.prefix { $0 != 0x3B }
            guard !sizeDigits.isEmpty, sizeDigits.count <= 8 else { throw .malformed("chunk size line \(line)") }
            var size = 0
            for b in sizeDigits {
                guard let d = hexValue(b) else { throw .malformed("chunk size \(String(decoding: line, as: UTF8.self).debugDescription)") }
                size = size * 16 + d
            }
            if size == 0 {
                _ = try readHeaders(stream)
                return body
            }
            guard body.count + size <= maxBodyBytes else { throw .malformed("chunked body too large") }
            body += try stream.read(exactly: size)
            guard try stream.readLine().isEmpty else { throw .malformed("chunk data not followed by CRLF") }
        }
    }

    static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 0x30...0x39: Int(b - 0x30)
        case 0x41...0x46: Int(b - 0x37)
        case 0x61...0x66: Int(b - 0x57)
        default: nil
        }
    }

    static func chunked(_ body: [UInt8], chunkSize: Int) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        let step = max(1, chunkSize)
        while i < body.count {
            let n = min(step, body.count - i)
            out += Array(String(n, radix: 16).utf8) + [0x0D, 0x0A]
            out += body[i..<(i + n)]
            out += [0x0D, 0x0A]
            i += n
        }
        out += Array("0\r\n\r\n".utf8)
        return out
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Status"
        }
    }
}
