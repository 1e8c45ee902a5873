/// Parses the field lines of a head the scanner has already delimited (RFC 9112 §5), shared by requests and responses.
enum FieldLines {
    /// Parses lines from `start` (the first field line) up to and including the blank line, appending to `headers`.
    /// Safe without bounds checks on the scan: the head is known to end with CRLF CRLF and every CR in it is followed by LF,
    /// so every loop below stops at a CR at the latest.
    static func parse(
        _ p: UnsafeRawBufferPointer, from start: Int, maxCount: Int, into headers: inout [HeaderField]
    ) -> HeadFault? {
        var i = start
        while true {
            let first = p[i]
            if first == ASCII.cr { return nil }
            // obs-fold: unfolding rules differ between implementations, so a continuation line is never accepted.
            if ASCII.isWhitespace(first) { return .obsoleteLineFolding }
            let nameStart = i
            while ASCII.isTchar(p[i]) { i += 1 }
            // Whitespace before the colon (or an empty name) is how "Transfer-Encoding : chunked" smuggling works.
            guard i > nameStart, p[i] == ASCII.colon else { return .invalidHeaderName }
            let nameEnd = i
            i += 1
            while ASCII.isWhitespace(p[i]) { i += 1 }
            let valueStart = i
            while true {
                let b = p[i]
                if b == ASCII.cr { break }
                // NUL and other controls truncate or split values in some upstreams.
                guard ASCII.isFieldValueByte(b) else { return .invalidHeaderValue }
                i += 1
            }
            var valueEnd = i
            while valueEnd > valueStart, ASCII.isWhitespace(p[valueEnd - 1]) { valueEnd -= 1 }
            guard headers.count < maxCount else { return .headersTooLarge }
            let name = nameStart..<nameEnd
            headers.append(HeaderField(name: name, value: valueStart..<valueEnd, kind: HeaderKind.classify(p, name)))
            i += 2
        }
    }
}
