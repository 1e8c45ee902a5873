import JSON
import JWT

/// Renders the identity headers a profile sends upstream from a verified token's claims.
///
/// Encoding: strings as is; arrays of strings comma-joined when no element contains a comma,
/// otherwise compact JSON (so an element can never be split into two); numbers, booleans, null and
/// objects as compact JSON. A claim that is absent yields no header.
///
/// Sanitising: control characters (U+0000–U+001F, U+007F) are removed, not replaced, so a claim can
/// never inject a header line or a NUL into the upstream request; surrounding spaces are trimmed
/// because HTTP parsers strip them anyway. A value longer than `maxValueBytes` after that is dropped
/// whole (and reported) rather than truncated: a cut-off role list would silently change meaning.
///
/// The proxy must still remove any client-sent header with these names before forwarding.
public enum IdentityHeaders {
    public static let maxValueBytes = 1024

    public static func render(token: VerifiedToken, profile: IssuerProfile) -> [(name: String, value: String)] {
        renderReporting(token: token, profile: profile).headers
    }

    /// Like `render`, also naming the headers dropped for exceeding `maxValueBytes`.
    public static func renderReporting(token: VerifiedToken, profile: IssuerProfile) -> (
        headers: [(name: String, value: String)], dropped: [String]
    ) {
        var headers: [(name: String, value: String)] = []
        var dropped: [String] = []
        for (name, path) in profile.identityHeaders {
            guard let claim = path.value(in: token.claims) else { continue }
            let value = sanitize(encode(claim))
            if value.utf8.count > maxValueBytes {
                dropped.append(name)
            } else {
                headers.append((name: name, value: value))
            }
        }
        return (headers, dropped)
    }

    /// The same headers as `render`, without building Strings: each value is encoded into `scratch`
    /// (cleared first, capacity kept) and handed to `body` with its header name. The request path uses this
    /// so that a verified token's identity costs no allocation for string and string-array claims.
    public static func forEach(
        token: VerifiedToken, profile: IssuerProfile, scratch: inout [UInt8],
        _ body: (_ name: String, _ value: UnsafeRawBufferPointer) -> Void
    ) {
        for (name, path) in profile.identityHeaders {
            guard let claim = path.value(in: token.claims) else { continue }
            scratch.removeAll(keepingCapacity: true)
            var sanitizer = Sanitizer()
            switch claim {
            case .string(let s):
                for b in s.utf8 { sanitizer.push(b, &scratch) }
            case .array(let elements) where elements.allSatisfy({ $0.stringValue.map { !$0.utf8.contains(UInt8(ascii: ",")) } ?? false }):
                // Joined, then sanitised as one value, exactly as `render` does.
                for (i, e) in elements.enumerated() {
                    if i > 0 { sanitizer.push(UInt8(ascii: ","), &scratch) }
                    if case .string(let s) = e { for b in s.utf8 { sanitizer.push(b, &scratch) } }
                }
            default:
                for b in JSONWriter.serialize(claim).utf8 { sanitizer.push(b, &scratch) }
            }
            sanitizer.finish(&scratch)
            guard scratch.count <= maxValueBytes else { continue }
            scratch.withUnsafeBytes { body(name, $0) }
        }
    }

    /// Streams bytes into a value without control characters and without leading/trailing spaces.
    private struct Sanitizer {
        var seenNonSpace = false
        var keep = 0

        mutating func push(_ b: UInt8, _ out: inout [UInt8]) {
            if b < 0x20 || b == 0x7F { return }
            if b == 0x20 && !seenNonSpace { return }
            out.append(b)
            if b != 0x20 {
                seenNonSpace = true
                keep = out.count
            }
        }

        func finish(_ out: inout [UInt8]) {
            out.removeSubrange(keep..<out.count)
        }
    }

    static func encode(_ claim: JSONValue) -> String {
        switch claim {
        case .string(let s):
            return s
        case .array(let elements):
            var parts: [String] = []
            for element in elements {
                guard let s = element.stringValue, !s.contains(",") else { return JSONWriter.serialize(claim) }
                parts.append(s)
            }
            return parts.joined(separator: ",")
        default:
            return JSONWriter.serialize(claim)
        }
    }

    static func sanitize(_ value: String) -> String {
        var bytes = Array(value.utf8)
        bytes.removeAll { $0 < 0x20 || $0 == 0x7F }
        let start = bytes.firstIndex { $0 != 0x20 } ?? bytes.endIndex
        let end = bytes.lastIndex { $0 != 0x20 }.map { $0 + 1 } ?? start
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }
}
