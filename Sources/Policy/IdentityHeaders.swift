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
