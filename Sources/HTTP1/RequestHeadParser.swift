/// Incremental, strict request-head parser (RFC 9112 §3, §5, §6). Call `parse` with all bytes buffered so far for the
/// message (same start each call); after `.complete` or `.invalid`, call `reset()` before the next message.
public struct RequestHeadParser: Sendable {
    public let limits: HeadLimits
    private var scanner = HeadScanner()

    public init(limits: HeadLimits) {
        self.limits = limits
    }

    public mutating func reset() {
        scanner.reset()
    }

    /// Fills `head` on `.complete`; its offsets are relative to `bytes.baseAddress`.
    public mutating func parse(_ bytes: UnsafeRawBufferPointer, into head: inout RequestHead) -> HeadParseStatus {
        let outcome = scanner.scan(
            bytes, maxHeadBytes: limits.maxHeadBytes, maxTargetBytes: limits.maxTargetBytes, ignoresOneLeadingEmptyLine: true)
        switch outcome {
        case .needMore:
            return .needMore
        case .fault(let fault):
            return .invalid(fault.requestError)
        case .complete(let start, let end):
            head.clear()
            if let fault = parseHead(bytes, start: start, into: &head) { return .invalid(fault.requestError) }
            head.headLength = end
            return .complete
        }
    }

    private func parseHead(_ p: UnsafeRawBufferPointer, start: Int, into head: inout RequestHead) -> HeadFault? {
        var i = start
        while ASCII.isTchar(p[i]) { i += 1 }
        if i == start || p[i] != ASCII.sp {
            return p[i] == ASCII.sp || p[i] == ASCII.cr ? .invalidRequestLine : .invalidMethod
        }
        head.methodRange = start..<i
        head.method = HTTPMethod.classify(p, head.methodRange)
        if head.method == .connect { return .notImplemented }
        i += 1

        let targetStart = i
        while ASCII.isTargetByte(p[i]) { i += 1 }
        // Exactly one SP between parts: "GET  /" and a missing version are as ambiguous as a bad byte.
        if p[i] != ASCII.sp || i == targetStart {
            return p[i] == ASCII.sp || p[i] == ASCII.cr ? .invalidRequestLine : .invalidTarget
        }
        if i - targetStart > limits.maxTargetBytes { return .uriTooLong }
        head.target = targetStart..<i
        if p[targetStart] != ASCII.slash {
            let isAsterisk = i - targetStart == 1 && p[targetStart] == 0x2A
            if isAsterisk {
                if head.method != .options { return .invalidTarget }
            } else {
                // absolute-form and authority-form would let the client name a host other than Host.
                return .unsupportedTargetForm
            }
        }
        i += 1

        switch StartLine.version(p, at: i) {
        case .supported(let version):
            head.version = version
        case .unsupported:
            return p[i + 8] == ASCII.cr ? .versionNotSupported : .invalidRequestLine
        case .malformed:
            return p[i] == ASCII.sp ? .invalidRequestLine : .invalidVersion
        }
        guard p[i + 8] == ASCII.cr else { return .invalidRequestLine }

        if let fault = FieldLines.parse(p, from: i + 10, maxCount: limits.maxHeaderCount, into: &head.headers) {
            return fault
        }
        return applySemantics(p, &head)
    }

    private func applySemantics(_ p: UnsafeRawBufferPointer, _ head: inout RequestHead) -> HeadFault? {
        var contentLength = -1
        var transferEncoding = -1
        var hasConnection = false
        var expect = -1
        for index in head.headers.indices {
            switch head.headers[index].kind {
            case .host:
                // Two Host headers let the gateway and the upstream route by different ones.
                if head.hostIndex >= 0 { return .duplicateHost }
                head.hostIndex = index
            case .contentLength:
                if contentLength >= 0 { return .invalidContentLength }
                contentLength = index
            case .transferEncoding:
                if transferEncoding >= 0 { return .invalidTransferEncoding }
                transferEncoding = index
            case .connection:
                hasConnection = true
            case .expect:
                if expect >= 0 { return .expectationFailed }
                expect = index
            default:
                break
            }
        }

        if head.hostIndex < 0 {
            if head.version == .http1_1 { return .missingHost }
        } else if !FieldSemantics.isValidHost(p, head.headers[head.hostIndex].value) {
            return .invalidHost
        }

        // CL.TE / TE.CL smuggling: never pick one, refuse both.
        if contentLength >= 0, transferEncoding >= 0 { return .ambiguousFraming }
        if transferEncoding >= 0 {
            if head.version == .http1_0 { return .transferEncodingInHTTP10 }
            switch FieldSemantics.transferCoding(p, head.headers[transferEncoding].value) {
            case .chunked: head.framing = .chunked
            case .chunkedAfterOtherCodings: return .unsupportedTransferEncoding
            case .invalid: return .invalidTransferEncoding
            }
        } else if contentLength >= 0 {
            switch FieldSemantics.contentLength(p, head.headers[contentLength].value) {
            case .success(let length): head.framing = .contentLength(length)
            case .failure(let fault): return fault
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

        if expect >= 0 {
            guard head.headers[expect].valueEquals("100-continue", in: p) else { return .expectationFailed }
            head.expectContinue = head.version == .http1_1
        }
        return nil
    }
}
