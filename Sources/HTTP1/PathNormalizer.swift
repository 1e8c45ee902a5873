/// What `PathNormalizer` found besides the normalised path.
public struct NormalizedTarget: Sendable, Equatable {
    /// Index in the target just after "?", or nil when there is no query.
    public var queryStart: Int?
    /// The target's path contained "%2F" (even inside a segment a ".." later removed). It is kept encoded: decoding it would
    /// change the segment structure the upstream sees, so routes may choose to refuse such paths.
    public var hasEncodedSlash: Bool

    public init(queryStart: Int?, hasEncodedSlash: Bool) {
        self.queryStart = queryStart
        self.hasEncodedSlash = hasEncodedSlash
    }
}

/// Canonicalises an origin-form path before routing, so that a policy written for "/admin" cannot be bypassed with
/// "/%61dmin", "/x/../admin" or "//admin". Normalising a normalised path changes nothing.
public enum PathNormalizer {
    /// Writes the normalised path into `path` (cleared first, capacity kept). The query is not touched.
    public static func normalize(
        _ target: UnsafeRawBufferPointer, into path: inout [UInt8]
    ) -> Result<NormalizedTarget, HTTPError> {
        path.removeAll(keepingCapacity: true)
        let n = target.count
        guard n > 0, target[0] == ASCII.slash else { return invalid("The path must start with \"/\".") }
        path.append(ASCII.slash)
        var hasEncodedSlash = false
        var queryStart: Int?
        var i = 1
        while true {
            // Decode one segment straight into `path`, then judge it: dot segments are recognised after decoding.
            let segmentStart = path.count
            var isLast = true
            while i < n {
                let b = target[i]
                if b == ASCII.slash {
                    isLast = false
                    i += 1
                    break
                }
                if b == ASCII.question {
                    queryStart = i + 1
                    i = n
                    break
                }
                if b == ASCII.percent {
                    guard i + 2 < n, let high = ASCII.hexValue(target[i + 1]), let low = ASCII.hexValue(target[i + 2]) else {
                        return invalid("The path contains an invalid percent-encoding.")
                    }
                    let decoded = high << 4 | low
                    if ASCII.isUnreserved(decoded) {
                        path.append(decoded)
                    } else if decoded == ASCII.backslash || decoded < 0x20 || decoded == 0x7F {
                        // Backslash is a separator on some upstreams; NUL and controls truncate or split paths.
                        return invalid("The path contains an encoded backslash or control character.")
                    } else {
                        if decoded == ASCII.slash { hasEncodedSlash = true }
                        path.append(ASCII.percent)
                        path.append(hexDigit(high))
                        path.append(hexDigit(low))
                    }
                    i += 3
                } else if ASCII.isPchar(b) {
                    path.append(b)
                    i += 1
                } else {
                    return invalid("The path contains a byte that is not allowed (such as a backslash or NUL).")
                }
            }
            let length = path.count - segmentStart
            if length == 0 || (length == 1 && path[segmentStart] == ASCII.dot) {
                path.removeLast(length)
            } else if length == 2 && path[segmentStart] == ASCII.dot && path[segmentStart + 1] == ASCII.dot {
                // ".." above the root stays at the root (RFC 3986 §5.2.4).
                path.removeLast(2)
                if path.count > 1 {
                    path.removeLast()
                    while let last = path.last, last != ASCII.slash { path.removeLast() }
                }
            } else if !isLast {
                path.append(ASCII.slash)
            }
            if isLast { break }
        }
        return .success(NormalizedTarget(queryStart: queryStart, hasEncodedSlash: hasEncodedSlash))
    }

    @inline(__always)
    private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x37 + v }

    private static func invalid(_ message: String) -> Result<NormalizedTarget, HTTPError> {
        .failure(HTTPError(status: 400, code: "invalid_path", message: message))
    }
}
