import HTTP1

/// Assembles one response from a key provider out of the bytes read so far: the head through HTTP1's strict
/// parser (interim 1xx responses skipped), then a body bounded to `maxBodyBytes`. Kept apart from the socket
/// so that the untrusted-input handling can be tested and fuzzed on its own.
struct HTTPResponseReader {
    /// A JWK Set or discovery document is a few KiB; a bigger answer is refused rather than buffered.
    static let maxBodyBytes = 1 << 20
    static let headLimits = HeadLimits(maxHeadBytes: 16 << 10, maxHeaderCount: 64)
    /// Interim responses and chunk framing are bounded one by one; this bounds them all together.
    static let maxReceivedBytes = maxBodyBytes + 2 * headLimits.maxHeadBytes + 64 << 10

    private var received: [UInt8] = []
    private var parser = ResponseHeadParser(limits: HTTPResponseReader.headLimits)
    private var head = ResponseHead()
    private var headStart = 0
    private var headDone = false
    private var maxAge: Int?
    private var body: [UInt8] = []
    private var chunked = ChunkedDecoder(maxBodyBytes: HTTPResponseReader.maxBodyBytes)
    private var bodyStart = 0

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        received.append(contentsOf: bytes)
    }

    /// Parses what has arrived; nil while more is needed. `atEOF`: the peer has closed the connection.
    mutating func process(atEOF: Bool) -> HTTPFetch.Outcome? {
        guard received.count <= Self.maxReceivedBytes else {
            return .failed("the response is larger than 1 MiB")
        }
        if !headDone {
            let status = received.withUnsafeBytes { raw in
                parser.parse(UnsafeRawBufferPointer(rebasing: raw[headStart...]), requestMethod: .get, into: &head)
            }
            switch status {
            case .needMore:
                return atEOF ? .failed("the response head is incomplete") : nil
            case .invalid(let e):
                return .failed("invalid response head: \(e.message)")
            case .complete:
                if head.isInformational {
                    headStart += head.headLength
                    parser.reset()
                    return process(atEOF: atEOF)
                }
                headDone = true
                bodyStart = headStart + head.headLength
                maxAge = readMaxAge()
            }
        }
        switch head.framing {
        case .none:
            return .response(status: head.status, maxAge: maxAge, body: [])
        case .contentLength(let n):
            guard n <= Self.maxBodyBytes else { return .failed("the response body is larger than 1 MiB") }
            if received.count - bodyStart >= n {
                return .response(status: head.status, maxAge: maxAge, body: Array(received[bodyStart..<(bodyStart + n)]))
            }
            return atEOF ? .failed("the response body ended early") : nil
        case .untilClose:
            guard received.count - bodyStart <= Self.maxBodyBytes else { return .failed("the response body is larger than 1 MiB") }
            return atEOF ? .response(status: head.status, maxAge: maxAge, body: Array(received[bodyStart...])) : nil
        case .chunked:
            while bodyStart < received.count {
                let (event, consumed) = received.withUnsafeBytes { raw in
                    chunked.next(UnsafeRawBufferPointer(rebasing: raw[bodyStart...]))
                }
                switch event {
                case .data(let range):
                    body.append(contentsOf: received[(bodyStart + range.lowerBound)..<(bodyStart + range.upperBound)])
                case .needMore:
                    break
                case .end:
                    return .response(status: head.status, maxAge: maxAge, body: body)
                case .invalid(let e):
                    return .failed(e.status == 413 ? "the response body is larger than 1 MiB" : "invalid chunked body: \(e.message)")
                }
                bodyStart += consumed
                if consumed == 0 { break }
            }
            return atEOF ? .failed("the chunked response body ended early") : nil
        }
    }

    private func readMaxAge() -> Int? {
        received.withUnsafeBytes { raw in
            let message = UnsafeRawBufferPointer(rebasing: raw[headStart...])
            var result: Int? = nil
            for field in head.headers where field.nameEquals("cache-control", in: message) {
                if let seconds = CacheControl.maxAge(UnsafeRawBufferPointer(rebasing: message[field.value])) {
                    result = min(result ?? Int.max, seconds)
                }
            }
            return result
        }
    }
}
