import JSON

/// A path to a claim inside the payload, e.g. `realm_access.roles`,
/// `resource_access.my-client.roles`, or `["https://example.com/roles"]` for names containing dots.
public struct ClaimPath: Sendable, Equatable, CustomStringConvertible {
    public let segments: [String]

    public init(segments: [String]) {
        self.segments = segments
    }

    /// Parses dotted syntax; a segment may be written `["name.with.dots"]`. Returns nil for an empty
    /// path, an empty segment, or an unterminated bracket.
    public init?(_ text: String) {
        var segments: [String] = []
        var rest = Substring(text)
        var expectSegment = true
        while !rest.isEmpty {
            if rest.hasPrefix("[\"") {
                let afterOpen = rest.index(rest.startIndex, offsetBy: 2)
                guard let close = rest[afterOpen...].firstRange(of: "\"]") else { return nil }
                let name = rest[afterOpen..<close.lowerBound]
                guard !name.isEmpty, !name.contains("\"") else { return nil }
                segments.append(String(name))
                rest = rest[close.upperBound...]
                if rest.hasPrefix(".") {
                    rest = rest.dropFirst()
                    expectSegment = true
                } else {
                    guard rest.isEmpty || rest.hasPrefix("[") else { return nil }
                    expectSegment = false
                }
            } else {
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                let name = rest[..<end]
                guard !name.isEmpty, !name.contains("]"), !name.contains("\"") else { return nil }
                segments.append(String(name))
                rest = rest[end...]
                if rest.hasPrefix(".") {
                    rest = rest.dropFirst()
                    expectSegment = true
                } else {
                    expectSegment = false
                }
            }
        }
        guard !segments.isEmpty, !expectSegment else { return nil }
        self.segments = segments
    }

    public static let subject = ClaimPath(segments: ["sub"])
    public static let issuer = ClaimPath(segments: ["iss"])
    public static let roles = ClaimPath(segments: ["roles"])
    public static let scope = ClaimPath(segments: ["scope"])

    /// The claim at this path, or nil when any step is missing or not an object.
    public func value(in claims: JSONObject) -> JSONValue? {
        var object = claims
        for segment in segments.dropLast() {
            guard let next = object[segment]?.objectValue else { return nil }
            object = next
        }
        return segments.last.flatMap { object[$0] }
    }

    /// An array's string elements (other elements are ignored: they grant nothing), a string split on
    /// spaces (OAuth `scope` style), otherwise nothing.
    public func strings(in claims: JSONObject) -> [String] {
        switch value(in: claims) {
        case .array(let elements)?: elements.compactMap(\.stringValue)
        case .string(let s)?: s.split(separator: " ").map(String.init)
        default: []
        }
    }

    /// Round-trips through `init?(_:)`: plain segments dotted, others bracketed.
    public var description: String {
        var out = ""
        for (i, segment) in segments.enumerated() {
            if segment.contains(".") || segment.contains("[") || segment.contains("]") {
                out += "[\"\(segment)\"]"
            } else {
                if i > 0 { out += "." }
                out += segment
            }
        }
        return out
    }
}
