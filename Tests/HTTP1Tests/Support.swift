import HTTP1

/// Test-side helpers: run parsers over whole inputs, over every two-piece split and byte by byte.
enum Feed {
    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    static func text(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    /// Feeds growing prefixes (`cuts` ascending, the whole input implied last) and returns the first non-needMore result.
    static func request(
        _ input: [UInt8], cuts: [Int] = [], limits: HeadLimits = HeadLimits()
    ) -> (status: HeadParseStatus, head: RequestHead) {
        var parser = RequestHeadParser(limits: limits)
        var head = RequestHead()
        for end in cuts + [input.count] {
            let status = input.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[0..<end]), into: &head) }
            if status != .needMore { return (status, head) }
        }
        return (.needMore, head)
    }

    static func response(
        _ input: [UInt8], method: HTTPMethod = .get, cuts: [Int] = [], limits: HeadLimits = HeadLimits()
    ) -> (status: HeadParseStatus, head: ResponseHead) {
        var parser = ResponseHeadParser(limits: limits)
        var head = ResponseHead()
        for end in cuts + [input.count] {
            let status = input.withUnsafeBytes {
                parser.parse(UnsafeRawBufferPointer(rebasing: $0[0..<end]), requestMethod: method, into: &head)
            }
            if status != .needMore { return (status, head) }
        }
        return (.needMore, head)
    }

    /// Every way of delivering `count` bytes: at once, in two pieces at each boundary, and one byte at a time.
    static func splits(_ count: Int) -> [[Int]] {
        var result: [[Int]] = [[]]
        if count > 1 {
            for cut in 1..<count { result.append([cut]) }
        }
        result.append(Array(0..<count))
        return result
    }

    enum ChunkedOutcome: Equatable, CustomStringConvertible {
        /// Decoded payload and the bytes left after the body (the next message's start).
        case body(payload: [UInt8], rest: [UInt8])
        case invalid(HTTPError)
        case incomplete(payload: [UInt8])

        var description: String {
            switch self {
            case .body(let payload, let rest):
                return "body(\(String(decoding: payload, as: UTF8.self)), rest: \(String(decoding: rest, as: UTF8.self)))"
            case .invalid(let error): return "invalid(\(error.status) \(error.code))"
            case .incomplete(let payload): return "incomplete(\(String(decoding: payload, as: UTF8.self)))"
            }
        }
    }

    /// Plays the caller's role: appends arriving bytes to a pending buffer and drops what the decoder consumed.
    static func chunked(_ input: [UInt8], cuts: [Int] = [], maxBodyBytes: Int? = nil) -> ChunkedOutcome {
        var decoder = ChunkedDecoder(maxBodyBytes: maxBodyBytes)
        var pending: [UInt8] = []
        var payload: [UInt8] = []
        var delivered = 0
        for end in cuts + [input.count] {
            pending += input[delivered..<end]
            delivered = end
            while true {
                let (event, consumed) = pending.withUnsafeBytes { decoder.next($0) }
                switch event {
                case .data(let range):
                    precondition(range.upperBound == consumed, "data must end at consumed")
                    payload += pending[range]
                    pending.removeFirst(consumed)
                    continue
                case .needMore:
                    precondition(consumed == pending.count, "needMore must consume all input")
                    pending.removeFirst(consumed)
                case .end:
                    pending.removeFirst(consumed)
                    return .body(payload: payload, rest: pending + input[delivered...])
                case .invalid(let error):
                    return .invalid(error)
                }
                break
            }
        }
        return .incomplete(payload: payload)
    }
}
