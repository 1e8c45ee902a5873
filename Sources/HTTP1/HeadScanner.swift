/// Finds the end of a message head incrementally. It remembers where it stopped, so bytes are examined once however the head
/// is split across reads, and it refuses bare CR/LF as soon as they are seen: once a head is complete, every CR in it is
/// followed by LF and every LF preceded by CR, which the full parse relies on.
struct HeadScanner: Sendable {
    enum Outcome: Sendable {
        case needMore
        /// `start` is the first byte of the start line (after an ignored leading CRLF); `end` is one past the blank line.
        case complete(start: Int, end: Int)
        case fault(HeadFault)
    }

    private var position = 0
    private var lineStart = 0
    private var start = 0
    private var inFirstLine = true
    /// Offsets of the first two spaces of the start line, or -1: enough to measure a request target before its line ends.
    private var firstSpace = -1
    private var secondSpace = -1

    mutating func reset() { self = HeadScanner() }

    /// `maxTargetBytes` bounds the bytes between the start line's first two spaces (a request target).
    mutating func scan(
        _ p: UnsafeRawBufferPointer, maxHeadBytes: Int, maxTargetBytes: Int, ignoresOneLeadingEmptyLine: Bool
    ) -> Outcome {
        let n = p.count
        let limit = min(n, maxHeadBytes)
        var i = position
        while i < limit {
            let b = p[i]
            if b == ASCII.lf {
                // Smuggling defence: a lone LF is a line end to some parsers and not to others.
                guard i > 0, p[i - 1] == ASCII.cr else { return .fault(.invalidLineEnding) }
                if i - 1 == lineStart {
                    if !inFirstLine {
                        position = i + 1
                        return .complete(start: start, end: i + 1)
                    }
                    // RFC 9112 §2.2 lets a server ignore at least one empty line before the start line (left behind by old
                    // clients after a POST body); exactly one is ignored, more is refused.
                    guard ignoresOneLeadingEmptyLine, lineStart == 0 else { return .fault(.invalidRequestLine) }
                    start = i + 1
                } else {
                    inFirstLine = false
                }
                lineStart = i + 1
            } else if b == ASCII.cr {
                guard i + 1 < n else { break }
                guard p[i + 1] == ASCII.lf else { return .fault(.invalidLineEnding) }
            } else if b == ASCII.sp, inFirstLine {
                if firstSpace < 0 {
                    firstSpace = i
                } else if secondSpace < 0 {
                    secondSpace = i
                }
            } else if inFirstLine, firstSpace >= 0, secondSpace < 0, i - firstSpace > maxTargetBytes {
                // An over-long target is refused as soon as it is seen, rather than after buffering up to the head limit,
                // and whatever bytes it contains: deciding it here, at the byte that crosses the limit, keeps the outcome
                // independent of how the bytes were split across reads.
                return .fault(.uriTooLong)
            }
            i += 1
        }
        position = i
        if i >= maxHeadBytes { return .fault(.headersTooLarge) }
        return .needMore
    }
}
