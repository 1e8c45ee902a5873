/// Incremental, strict decoder for the chunked transfer coding (RFC 9112 §7.1). It keeps its position in the grammar between
/// calls, so every input byte is examined once: `.needMore` always consumes all input it was given.
public struct ChunkedDecoder: Sendable {
    public enum Event: Sendable, Equatable {
        /// Payload bytes at this range of the input; the range may be a part of a chunk.
        case data(Range<Int>)
        case needMore
        /// The last chunk and trailer section have been read; bytes after `consumed` belong to the next message.
        case end
        case invalid(HTTPError)
    }

    private enum State: Sendable {
        case size, extBeforeSemicolon, extAfterSemicolon, extName, extAfterName, extAfterEquals, extToken
        case extQuoted, extQuotedPair, extAfterQuoted, sizeLF
        case data, dataCR, dataLF
        case trailerLineStart, trailerName, trailerValue, trailerLF, finalLF
        case done, failed
    }

    /// Bounds on bytes that are consumed silently, so a peer cannot keep us parsing framing without delivering payload.
    static let maxSizeLineBytes = 4096
    static let maxTrailerBytes = 8192

    public let maxBodyBytes: Int?
    private var state: State = .size
    private var size: UInt64 = 0
    private var digits = 0
    private var remaining = 0
    private var total = 0
    private var lineBytes = 0
    private var trailerBytes = 0
    private var failure = HTTPError(status: 400, code: "invalid_chunk", message: "")

    /// A payload total over `maxBodyBytes` is refused with 413.
    public init(maxBodyBytes: Int?) {
        self.maxBodyBytes = maxBodyBytes
    }

    public mutating func reset() {
        self = ChunkedDecoder(maxBodyBytes: maxBodyBytes)
    }

    /// Decodes from `bytes[0...]`; the caller drops `consumed` bytes before the next call.
    public mutating func next(_ bytes: UnsafeRawBufferPointer) -> (event: Event, consumed: Int) {
        let n = bytes.count
        var i = 0
        while i < n {
            let b = bytes[i]
            switch state {
            case .size:
                if let h = ASCII.hexValue(b) {
                    digits += 1
                    // 16 hex digits fill 64 bits; more is an overflow attempt (or pointless zero padding).
                    guard digits <= 16 else { return fail("The chunk size has more than 16 hex digits.", at: i) }
                    size = size << 4 | UInt64(h)
                } else {
                    guard digits > 0 else { return fail("A chunk size must start with a hex digit.", at: i) }
                    guard size <= UInt64(Int.max) else { return fail("The chunk size is too large.", at: i) }
                    switch b {
                    case ASCII.cr: state = .sizeLF
                    case ASCII.semicolon: state = .extAfterSemicolon
                    case ASCII.sp, ASCII.htab: state = .extBeforeSemicolon
                    default: return fail("The chunk size line contains an unexpected byte.", at: i)
                    }
                }
            case .extBeforeSemicolon:
                // BWS is only allowed when a ";" follows: "5 \r\n" is refused, as other parsers read it differently.
                if b == ASCII.semicolon {
                    state = .extAfterSemicolon
                } else if !ASCII.isWhitespace(b) {
                    return fail("Whitespace after a chunk size must be followed by an extension.", at: i)
                }
            case .extAfterSemicolon:
                if ASCII.isTchar(b) {
                    state = .extName
                } else if !ASCII.isWhitespace(b) {
                    return fail("A chunk extension name must be a token.", at: i)
                }
            case .extName:
                if ASCII.isTchar(b) { break }
                switch b {
                case ASCII.sp, ASCII.htab: state = .extAfterName
                case ASCII.equals: state = .extAfterEquals
                case ASCII.semicolon: state = .extAfterSemicolon
                case ASCII.cr: state = .sizeLF
                default: return fail("A chunk extension name must be a token.", at: i)
                }
            case .extAfterName:
                switch b {
                case ASCII.sp, ASCII.htab: break
                case ASCII.equals: state = .extAfterEquals
                case ASCII.semicolon: state = .extAfterSemicolon
                default: return fail("A chunk extension is malformed.", at: i)
                }
            case .extAfterEquals:
                if ASCII.isTchar(b) {
                    state = .extToken
                } else if b == ASCII.quote {
                    state = .extQuoted
                } else if !ASCII.isWhitespace(b) {
                    return fail("A chunk extension value must be a token or a quoted string.", at: i)
                }
            case .extToken:
                if ASCII.isTchar(b) { break }
                switch b {
                case ASCII.sp, ASCII.htab: state = .extBeforeSemicolon
                case ASCII.semicolon: state = .extAfterSemicolon
                case ASCII.cr: state = .sizeLF
                default: return fail("A chunk extension value must be a token or a quoted string.", at: i)
                }
            case .extQuoted:
                if b == ASCII.quote {
                    state = .extAfterQuoted
                } else if b == ASCII.backslash {
                    state = .extQuotedPair
                } else if !ASCII.isFieldValueByte(b) {
                    return fail("A quoted chunk extension value contains a control character.", at: i)
                }
            case .extQuotedPair:
                guard ASCII.isFieldValueByte(b) else {
                    return fail("A quoted chunk extension value contains a control character.", at: i)
                }
                state = .extQuoted
            case .extAfterQuoted:
                switch b {
                case ASCII.sp, ASCII.htab: state = .extBeforeSemicolon
                case ASCII.semicolon: state = .extAfterSemicolon
                case ASCII.cr: state = .sizeLF
                default: return fail("A chunk extension is malformed after its quoted value.", at: i)
                }
            case .sizeLF:
                guard b == ASCII.lf else { return fail("The chunk size line must end with CRLF.", at: i) }
                if size == 0 {
                    state = .trailerLineStart
                } else {
                    remaining = Int(size)
                    let (sum, overflow) = total.addingReportingOverflow(remaining)
                    if overflow || sum > (maxBodyBytes ?? Int.max) {
                        state = .failed
                        failure = HTTPError(
                            status: 413, code: "payload_too_large",
                            message: "The request body is larger than the configured limit.")
                        return (.invalid(failure), i)
                    }
                    total = sum
                    state = .data
                }
                size = 0
                digits = 0
                lineBytes = 0
            case .data:
                let take = min(remaining, n - i)
                remaining -= take
                if remaining == 0 { state = .dataCR }
                return (.data(i..<(i + take)), i + take)
            case .dataCR:
                guard b == ASCII.cr else { return fail("Chunk data must be followed by CRLF.", at: i) }
                state = .dataLF
            case .dataLF:
                guard b == ASCII.lf else { return fail("Chunk data must be followed by CRLF.", at: i) }
                state = .size
            case .trailerLineStart:
                if b == ASCII.cr {
                    state = .finalLF
                } else if ASCII.isTchar(b) {
                    state = .trailerName
                } else {
                    return fail("A trailer field name must be a token and must not be folded.", at: i)
                }
            case .trailerName:
                if b == ASCII.colon {
                    state = .trailerValue
                } else if !ASCII.isTchar(b) {
                    return fail("A trailer field name must be a token with no whitespace before the colon.", at: i)
                }
            case .trailerValue:
                if b == ASCII.cr {
                    state = .trailerLF
                } else if !ASCII.isFieldValueByte(b) {
                    return fail("A trailer field value contains a control character.", at: i)
                }
            case .trailerLF:
                guard b == ASCII.lf else { return fail("Trailer lines must end with CRLF.", at: i) }
                state = .trailerLineStart
            case .finalLF:
                guard b == ASCII.lf else { return fail("The chunked body must end with CRLF.", at: i) }
                state = .done
                return (.end, i + 1)
            case .done:
                return (.end, i)
            case .failed:
                return (.invalid(failure), i)
            }
            i += 1
            switch state {
            case .size, .extBeforeSemicolon, .extAfterSemicolon, .extName, .extAfterName, .extAfterEquals, .extToken,
                .extQuoted, .extQuotedPair, .extAfterQuoted, .sizeLF:
                lineBytes += 1
                if lineBytes > Self.maxSizeLineBytes { return fail("A chunk size line is too long.", at: i) }
            case .trailerLineStart, .trailerName, .trailerValue, .trailerLF, .finalLF:
                trailerBytes += 1
                if trailerBytes > Self.maxTrailerBytes { return fail("The trailer section is too large.", at: i) }
            default:
                break
            }
        }
        switch state {
        case .done: return (.end, i)
        case .failed: return (.invalid(failure), i)
        default: return (.needMore, i)
        }
    }

    private mutating func fail(_ message: String, at offset: Int) -> (event: Event, consumed: Int) {
        state = .failed
        failure = HTTPError(status: 400, code: "invalid_chunk", message: message)
        return (.invalid(failure), offset)
    }
}
