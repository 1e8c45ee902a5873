/// Incremental, strict response-head parser (RFC 9112 §4, §6.3). Errors are 502 with "upstream_" codes. Call `parse` with all
/// bytes buffered so far for the response; after `.complete` or `.invalid`, call `reset()`.
public struct ResponseHeadParser: Sendable {
    public let limits: HeadLimits
    private var scanner = HeadScanner()

    public init(limits: HeadLimits) {
        self.limits = limits
    }

    public mutating func reset() {
        scanner.reset()
    }

    /// `requestMethod` is needed because a response to HEAD has no body whatever its headers say.
    public mutating func parse(
        _ bytes: UnsafeRawBufferPointer, requestMethod: HTTPMethod, into head: inout ResponseHead
    ) -> HeadParseStatus {
        // A status line has no request target to bound.
        let outcome = scanner.scan(
            bytes, maxHeadBytes: limits.maxHeadBytes, maxTargetBytes: Int.max, ignoresOneLeadingEmptyLine: false)
        switch outcome {
        case .needMore:
            return .needMore
        case .fault(let fault):
            return .invalid(fault == .invalidRequestLine ? HeadFault.invalidStatusLine.responseError : fault.responseError)
        case .complete(_, let end):
            head.clear()
            if let fault = parseHead(bytes, requestMethod: requestMethod, into: &head) {
                return .invalid(fault.responseError)
            }
            head.headLength = end
            return .complete
        }
    }

    private func parseHead(_ p: UnsafeRawBufferPointer, requestMethod: HTTPMethod, into head: inout ResponseHead) -> HeadFault? {
        switch StartLine.version(p, at: 0) {
        case .supported(let version): head.version = version
        case .unsupported: return .versionNotSupported
        case .malformed: return .invalidStatusLine
        }
        guard p[8] == ASCII.sp, ASCII.isDigit(p[9]), ASCII.isDigit(p[10]), ASCII.isDigit(p[11]) else {
            return .invalidStatusLine
        }
        let status = Int(p[9] &- 0x30) * 100 + Int(p[10] &- 0x30) * 10 + Int(p[11] &- 0x30)
        guard status >= 100, status <= 599 else { return .invalidStatusLine }
        head.status = status
        // The reason phrase is optional, and so (leniently, as every major proxy does) is the SP before an empty one.
        var i = 12
        if p[i] == ASCII.sp {
            i += 1
            while p[i] != ASCII.cr {
                guard ASCII.isFieldValueByte(p[i]) else { return .invalidStatusLine }
                i += 1
            }
        } else if p[i] != ASCII.cr {
            return .invalidStatusLine
        }
        // We never forward Upgrade, so a switch of protocols would leave us relaying bytes we cannot parse.
        if status == 101 { return .upgradeNotSupported }

        if let fault = FieldLines.parse(p, from: i + 2, maxCount: limits.maxHeaderCount, into: &head.headers) {
            return fault
        }
        return applySemantics(p, requestMethod: requestMethod, &head)
    }

    private func applySemantics(_ p: UnsafeRawBufferPointer, requestMethod: HTTPMethod, _ head: inout ResponseHead) -> HeadFault? {
        var contentLength = -1
        var transferEncoding = -1
        var hasConnection = false
        for index in head.headers.indices {
            switch head.headers[index].kind {
            case .contentLength:
                if contentLength >= 0 { return .invalidContentLength }
                contentLength = index
            case .transferEncoding:
                if transferEncoding >= 0 { return .invalidTransferEncoding }
                transferEncoding = index
            case .connection:
                hasConnection = true
            default:
                break
            }
        }

        // Validated even where they do not frame a body: a malformed value means the upstream is not who we think.
        if contentLength >= 0, transferEncoding >= 0 { return .ambiguousFraming }
        var length = -1
        if contentLength >= 0 {
            switch FieldSemantics.contentLength(p, head.headers[contentLength].value) {
            case .success(let value): length = value
            case .failure(let fault): return fault
            }
        }
        if transferEncoding >= 0 {
            if head.version == .http1_0 { return .transferEncodingInHTTP10 }
            switch FieldSemantics.transferCoding(p, head.headers[transferEncoding].value) {
            case .chunked: break
            case .chunkedAfterOtherCodings: return .unsupportedTransferEncoding
            case .invalid: return .invalidTransferEncoding
            }
        }

        var close = false
        var keepAlive = false
        if hasConnection,
            let fault = FieldSemantics.applyConnection(p, &head.headers, close: &close, keepAlive: &keepAlive)
        {
            return fault
        }
        head.keepAlive = head.version == .http1_1 ? !close : keepAlive && !close

        let status = head.status
        if status < 200 || status == 204 {
            // RFC 9112 §6.1/§6.2 forbid these here; an upstream that sends a body anyway would desynchronise the connection.
            if transferEncoding >= 0 || length > 0 { return .invalidBodilessFraming }
            head.framing = .none
        } else if requestMethod == .head || status == 304 {
            head.framing = .none
        } else if transferEncoding >= 0 {
            head.framing = .chunked
        } else if length >= 0 {
            head.framing = .contentLength(length)
        } else {
            head.framing = .untilClose
            head.keepAlive = false
        }
        return nil
    }
}
