import EventLoop
import HTTP1

/// Writes the response head the client receives: hop-by-hop headers removed, framing chosen for this
/// client (chunked re-encoding for HTTP/1.1, close-delimited for HTTP/1.0), the request id echoed.
enum ResponseHeadWriter {
    static func write(_ head: ResponseHead, bytes: UnsafeRawBufferPointer, for c: ClientConnection) {
        let out = c.acquireOutBuf()
        let needed = head.headLength + 512 + c.exchange.requestID.count
        if out.writableCount < needed {
            out.compact()
            if out.writableCount < needed { out.grow(to: out.readableCount + needed) }
        }
        var framing: ClientFraming
        switch head.framing {
        case .none: framing = .none
        case .contentLength: framing = .contentLength
        case .chunked, .untilClose: framing = c.exchange.clientVersion == .http1_1 ? .chunked : .untilClose
        }
        let isHead = c.exchange.isHead
        let hasCORS = c.exchange.cors != nil
        c.exchange.responseFraming = framing
        c.exchange.status = head.status
        c.exchange.responseStarted = true
        let keep = c.exchange.clientKeepAlive && framing != .untilClose && !c.closeAfterResponse && !c.worker.draining && c.exchange.requestBodyDone

        out.append("HTTP/1.1 ")
        out.appendDecimal(head.status)
        out.append(byte: 0x20)
        out.append(HTTPSerializer.reasonPhrase(head.status))
        out.append("\r\n")
        var sawRequestID = false
        for h in head.headers {
            switch h.kind {
            case .hopByHop, .connection, .transferEncoding:
                continue
            case .contentLength:
                // Kept for a Content-Length body, and for HEAD/304 where it describes the representation.
                if framing != .contentLength && !(framing == .none && (isHead || head.status == 304)) { continue }
            case .xRequestId:
                sawRequestID = true
            case .other:
                // Where the gateway answers CORS for a route, the upstream's own CORS headers would contradict
                // it (two Allow-Origin values make the browser refuse the answer).
                if hasCORS && isCORSHeader(h, bytes) { continue }
            default:
                break
            }
            out.appendField(h, from: bytes)
        }
        if !sawRequestID {
            out.append("X-Request-Id: ")
            out.append(c.exchange.requestID)
            out.append("\r\n")
        }
        if framing == .chunked { out.append("Transfer-Encoding: chunked\r\n") }
        if hasCORS { c.exchange.writeCORSHeaders(into: out) }
        if let info = c.exchange.rateInfo {
            out.append("RateLimit-Limit: ")
            out.appendDecimal(info.limit)
            out.append("\r\nRateLimit-Remaining: ")
            out.appendDecimal(info.remaining)
            out.append("\r\nRateLimit-Reset: ")
            out.appendDecimal(info.resetSeconds)
            out.append("\r\n")
        }
        if !keep {
            out.append("Connection: close\r\n\r\n")
            c.closeAfterResponse = true
        } else if c.exchange.clientVersion == .http1_0 {
            out.append("Connection: keep-alive\r\n\r\n")
        } else {
            out.append("\r\n")
        }
    }
}

private func isCORSHeader(_ h: HeaderField, _ bytes: UnsafeRawBufferPointer) -> Bool {
    let prefix: StaticString = "access-control-"
    guard h.name.count > prefix.utf8CodeUnitCount else { return false }
    for i in 0..<prefix.utf8CodeUnitCount where asciiLower(bytes[h.name.lowerBound + i]) != prefix.utf8Start[i] { return false }
    return true
}

extension ByteBuffer {
    /// Copies a parsed header field as "name: value\r\n" (the value already trimmed by the parser).
    func appendField(_ h: HeaderField, from bytes: UnsafeRawBufferPointer) {
        append(UnsafeRawBufferPointer(rebasing: bytes[h.name]))
        append(": ")
        append(UnsafeRawBufferPointer(rebasing: bytes[h.value]))
        append("\r\n")
    }
}
