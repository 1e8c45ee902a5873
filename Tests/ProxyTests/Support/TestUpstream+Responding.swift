import Foundation
import Glibc

extension TestUpstream {
    /// Writes the answer for `behavior`; false when the connection must close afterwards.
    func respond(_ behavior: Behavior?, to request: Received, fd: Int32, keepAlive: Bool) -> Bool {
        let octet = [("Content-Type", "application/octet-stream")]
        switch behavior {
        case nil:
            return writeResponse(
                fd, request: request, keepAlive: keepAlive, status: 200, headers: [("Content-Type", "application/json")],
                body: Self.echoJSON(request), framing: .contentLength)
        case .respond(let status, let headers, let body, let framing):
            return writeResponse(
                fd, request: request, keepAlive: keepAlive, status: status, headers: headers, body: body, framing: framing)
        case .echoBody:
            return writeResponse(
                fd, request: request, keepAlive: keepAlive, status: 200, headers: octet, body: request.body,
                framing: request.chunked ? .chunked(chunkSize: 4096) : .contentLength)
        case .delay(let seconds, let then):
            if sleepUnlessStopped(seconds) { return false }
            return respond(then, to: request, fd: fd, keepAlive: keepAlive)
        case .neverRespond:
            _ = KitStream(fd: fd).readToEnd()
            return false
        case .closeImmediately:
            return false
        case .closeMidResponse(let sent):
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: \(sent * 2 + 64)\r\n\r\n"
            kitSendAll(fd, Array(head.utf8) + Self.pattern(count: sent))
            return false
        case .rawResponse(let bytes):
            kitSendAll(fd, bytes)
            return false
        case .large(let count, let framing):
            return writeResponse(
                fd, request: request, keepAlive: keepAlive, status: 200, headers: octet, body: Self.pattern(count: count),
                framing: framing)
        }
    }

    private func writeResponse(
        _ fd: Int32, request: Received, keepAlive: Bool, status: Int, headers: [(String, String)], body: [UInt8],
        framing: Framing
    ) -> Bool {
        let closes = !keepAlive || framing == .closeDelimited || KitWire.hasToken(headers, "connection", "close")
        // RFC 9110 §6.4.1: these never carry content, whatever their headers say.
        let bodiless = status < 200 || status == 204 || status == 304
        var head = "HTTP/1.1 \(status) \(KitWire.reasonPhrase(status))\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !bodiless {
            switch framing {
            case .contentLength: head += "Content-Length: \(body.count)\r\n"
            case .chunked: head += "Transfer-Encoding: chunked\r\n"
            case .closeDelimited: break
            }
        }
        if closes, !KitWire.hasToken(headers, "connection", "close") { head += "Connection: close\r\n" }
        head += "\r\n"
        var bytes = Array(head.utf8)
        if !bodiless, request.method != "HEAD" {
            if case .chunked(let size) = framing {
                bytes += KitWire.chunked(body, chunkSize: size)
            } else {
                bytes += body
            }
        }
        return kitSendAll(fd, bytes) && !closes
    }

    /// The default answer: what the upstream saw, so a test can assert on it from the client side too.
    static func echoJSON(_ request: Received) -> [UInt8] {
        let object: [String: Any] = [
            "method": request.method,
            "target": request.target,
            "version": request.version,
            "headers": request.headers.map { [$0.0, $0.1] },
            "connection": request.connectionID,
            "body_length": request.body.count,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return [UInt8](data)
    }
}
