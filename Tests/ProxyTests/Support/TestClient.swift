import Glibc

/// A raw HTTP/1.1 client over a blocking socket to 127.0.0.1: tests write exact bytes (including malformed ones) and
/// read responses with the kit's own parser. Every read gives up after 5 s so a broken test fails instead of hanging.
struct TestClient {
    private let stream: KitStream

    init(port: UInt16) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestKitError.connectFailed(errno: errno) }
        stream = KitStream(fd: fd, ownsDescriptor: true)
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        addr.sin_port = port.bigEndian
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw TestKitError.connectFailed(errno: errno) }
    }

    var fd: Int32 { stream.fd }

    /// False when the peer is gone (the bytes may then be partly sent).
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool { kitSendAll(stream.fd, bytes) }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Sends one request; adds Host unless given, and Content-Length when there is a body and no framing header.
    @discardableResult
    func send(method: String = "GET", path: String, headers: [(String, String)] = [], body: [UInt8] = []) -> Bool {
        send(TestClient.requestBytes(method: method, path: path, headers: headers, body: body))
    }

    /// The next response. With `skipInterim` false a 1xx comes back on its own and the final one needs another call.
    /// `headRequest` says the response answers a HEAD, so it has no body whatever its headers say.
    func readResponse(skipInterim: Bool = true, headRequest: Bool = false) throws -> TestResponse {
        while true {
            let response = try readOneResponse(headRequest: headRequest)
            if skipInterim, response.status >= 100, response.status < 200 { continue }
            return response
        }
    }

    /// Everything until the peer closes (or 5 s pass), including bytes already buffered.
    func readUntilClose() -> [UInt8] { stream.readToEnd() }

    /// Waits up to `seconds` for EOF (or a reset); bytes arriving meanwhile are kept for later reads.
    func isClosedByPeer(within seconds: Double) -> Bool {
        let deadline = monotonicSeconds() + seconds
        while true {
            let remaining = deadline - monotonicSeconds()
            if remaining <= 0 { return false }
            var pfd = pollfd(fd: stream.fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(remaining * 1000) + 1)
            if ready <= 0 { continue }
            do {
                try stream.fill()
            } catch .closedByPeer {
                return true
            } catch .io {
                return true
            } catch {
                continue
            }
        }
    }

    func close() { stream.closeDescriptor() }

    /// Closes with RST (SO_LINGER 0), as a crashed client would. Through the stream, so the descriptor is
    /// closed exactly once: a second close could hit a number another test has been given meanwhile.
    func resetClose() {
        var l = linger(l_onoff: 1, l_linger: 0)
        setsockopt(stream.fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
        stream.closeDescriptor()
    }

    /// One request on a fresh connection with `Connection: close`.
    static func request(
        port: UInt16, method: String = "GET", path: String, headers: [(String, String)] = [], body: [UInt8] = []
    ) throws -> TestResponse {
        let client = try TestClient(port: port)
        defer { client.close() }
        client.send(method: method, path: path, headers: headers + [("Connection", "close")], body: body)
        return try client.readResponse(headRequest: method == "HEAD")
    }

    static func requestBytes(method: String, path: String, headers: [(String, String)], body: [UInt8]) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\n"
        if KitWire.first(headers, "host") == nil { head += "Host: 127.0.0.1\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        let framed = KitWire.first(headers, "content-length") != nil || KitWire.first(headers, "transfer-encoding") != nil
        if !framed, !body.isEmpty || ["POST", "PUT", "PATCH"].contains(method) {
            head += "Content-Length: \(body.count)\r\n"
        }
        head += "\r\n"
        return Array(head.utf8) + body
    }

    private func readOneResponse(headRequest: Bool) throws(TestKitError) -> TestResponse {
        let line = try stream.readLine()
        let text = String(decoding: line, as: UTF8.self)
        let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0] == "HTTP/1.1" || parts[0] == "HTTP/1.0", parts[1].count == 3,
            let status = Int(parts[1]), status >= 100
        else { throw .malformed("status line \(text.debugDescription)") }
        let headers = try KitWire.readHeaders(stream)
        var body: [UInt8] = []
        if !(headRequest || status < 200 || status == 204 || status == 304) {
            switch try KitWire.framing(headers) {
            case .contentLength(let n): body = try stream.read(exactly: n)
            case .chunked: body = try KitWire.readChunkedBody(stream)
            case .none: body = stream.readToEnd()
            }
        }
        return TestResponse(status: status, reason: parts.count == 3 ? String(parts[2]) : "", headers: headers, body: body)
    }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
