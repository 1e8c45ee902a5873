/// Meaning of the framing and connection-control fields, shared by requests and responses. Every check here is strict
/// because a gateway and its upstream disagreeing about where a message ends is request smuggling.
enum FieldSemantics {
    enum TransferCoding: Sendable, Equatable {
        /// Exactly "chunked".
        case chunked
        /// Other codings followed by a final "chunked" (e.g. "gzip, chunked"): well-formed, but we do not decode them.
        case chunkedAfterOtherCodings
        /// Malformed, empty, chunked applied twice or not final ("chunked, identity", "xchunked").
        case invalid
    }

    /// RFC 9110 §8.6: 1*DIGIT. One header only and no lists, even of equal values: a recipient that picks a different
    /// element than we do would frame the body differently.
    static func contentLength(_ p: UnsafeRawBufferPointer, _ range: Range<Int>) -> Result<Int, HeadFault> {
        guard !range.isEmpty else { return .failure(.invalidContentLength) }
        var value = 0
        for i in range {
            let d = p[i] &- 0x30
            guard d < 10 else { return .failure(.invalidContentLength) }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(d))
            guard !o1, !o2 else { return .failure(.contentLengthOverflow) }
            value = sum
        }
        return .success(value)
    }

    /// RFC 9112 §6.1/§6.3: chunked must be the final coding and applied at most once; empty list elements are refused.
    static func transferCoding(_ p: UnsafeRawBufferPointer, _ range: Range<Int>) -> TransferCoding {
        var count = 0
        var chunkedCount = 0
        var lastIsChunked = false
        var malformed = range.isEmpty
        forEachElement(p, range) { element in
            guard !element.isEmpty, isToken(p, element) else {
                malformed = true
                return false
            }
            count += 1
            lastIsChunked = ASCII.equalsLowercase(p, element, "chunked")
            if lastIsChunked { chunkedCount += 1 }
            return true
        }
        if malformed || chunkedCount != 1 || !lastIsChunked { return .invalid }
        return count == 1 ? .chunked : .chunkedAfterOtherCodings
    }

    /// Reads every Connection header: "close" and "keep-alive" set the flags, any other token marks the headers it names as
    /// hop-by-hop so they are not forwarded. Naming a field that frames, routes or authenticates the message is refused:
    /// letting a client make us strip Content-Length or Host from what the upstream sees is a smuggling primitive.
    static func applyConnection(
        _ p: UnsafeRawBufferPointer, _ headers: inout [HeaderField], close: inout Bool, keepAlive: inout Bool
    ) -> HeadFault? {
        var fault: HeadFault?
        for index in headers.indices where headers[index].kind == .connection {
            forEachElement(p, headers[index].value) { element in
                if element.isEmpty { return true }
                guard isToken(p, element) else {
                    fault = .invalidConnectionHeader
                    return false
                }
                if ASCII.equalsLowercase(p, element, "close") {
                    close = true
                    return true
                }
                if ASCII.equalsLowercase(p, element, "keep-alive") {
                    keepAlive = true
                    return true
                }
                switch HeaderKind.classify(p, element) {
                case .host, .contentLength, .transferEncoding, .authorization:
                    fault = .invalidConnectionHeader
                    return false
                case .connection:
                    return true
                default:
                    for other in headers.indices where headers[other].kind != .connection
                        && equalsIgnoringCase(p, headers[other].name, element)
                    {
                        headers[other].kind = .hopByHop
                    }
                    return true
                }
            }
            if fault != nil { return fault }
        }
        return nil
    }

    /// RFC 9110 §7.2 host[:port], narrowed: a reg-name of unreserved characters or a bracketed IP literal, no userinfo,
    /// no percent-encoding, no empty port. Anything else is a routing ambiguity we do not need to accept.
    static func isValidHost(_ p: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        let end = range.upperBound
        var i = range.lowerBound
        guard i < end else { return false }
        if p[i] == 0x5B {
            i += 1
            let literalStart = i
            while i < end, p[i] != 0x5D {
                let b = p[i]
                guard ASCII.hexValue(b) != nil || b == ASCII.colon || b == ASCII.dot else { return false }
                i += 1
            }
            guard i < end, i > literalStart else { return false }
            i += 1
        } else {
            let nameStart = i
            while i < end, p[i] != ASCII.colon {
                guard ASCII.isUnreserved(p[i]) else { return false }
                i += 1
            }
            guard i > nameStart else { return false }
        }
        if i == end { return true }
        guard p[i] == ASCII.colon else { return false }
        let digits = (i + 1)..<end
        guard (1...5).contains(digits.count) else { return false }
        var port = 0
        for k in digits {
            guard ASCII.isDigit(p[k]) else { return false }
            port = port * 10 + Int(p[k] &- 0x30)
        }
        return port <= 65535
    }

    /// Calls `body` with each comma-separated element of `range`, OWS trimmed (possibly empty); stops when it returns false.
    static func forEachElement(
        _ p: UnsafeRawBufferPointer, _ range: Range<Int>, _ body: (Range<Int>) -> Bool
    ) {
        var i = range.lowerBound
        let end = range.upperBound
        while true {
            var s = i
            while s < end, ASCII.isWhitespace(p[s]) { s += 1 }
            var e = s
            while e < end, p[e] != ASCII.comma { e += 1 }
            let next = e
            while e > s, ASCII.isWhitespace(p[e - 1]) { e -= 1 }
            if !body(s..<e) { return }
            if next >= end { return }
            i = next + 1
        }
    }

    static func isToken(_ p: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        guard !range.isEmpty else { return false }
        for i in range where !ASCII.isTchar(p[i]) { return false }
        return true
    }

    static func equalsIgnoringCase(_ p: UnsafeRawBufferPointer, _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count else { return false }
        var j = b.lowerBound
        for i in a {
            if ASCII.lower(p[i]) != ASCII.lower(p[j]) { return false }
            j += 1
        }
        return true
    }
}
