/// A coding key for any member name or array index of the config document.
struct ConfigKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int?

    init(_ string: String) {
        stringValue = string
        intValue = nil
    }

    init(stringValue: String) { self.init(stringValue) }

    init(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// Paths in the operator-facing form `routes[3].auth.methods["POST,PUT"]`; "$" is the document root.
/// Later stages extend an element's `jsonPath` with these so their messages match the loader's.
public enum ConfigPath {
    static func render(_ codingPath: [any CodingKey]) -> String {
        var out = ""
        for key in codingPath { append(key, to: &out) }
        return out.isEmpty ? "$" : out
    }

    /// `child("routes[2]", "auth")` is "routes[2].auth"; names that are not plain get quoted: `headers["X Y"]`.
    public static func child(_ path: String, _ key: String) -> String {
        var out = path == "$" ? "" : path
        append(ConfigKey(key), to: &out)
        return out
    }

    public static func child(_ path: String, index: Int) -> String {
        (path == "$" ? "" : path) + "[\(index)]"
    }

    private static func append(_ key: any CodingKey, to out: inout String) {
        if let index = key.intValue {
            out += "[\(index)]"
        } else if isPlain(key.stringValue) {
            if !out.isEmpty { out += "." }
            out += key.stringValue
        } else {
            let escaped = key.stringValue.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"")
            out += "[\"\(escaped)\"]"
        }
    }

    private static func isPlain(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
                || b == 0x24
        }
    }

    /// The path of the enclosing value, or nil at the root. Quoted names may contain "." and "[".
    static func parent(_ path: String) -> String? {
        let bytes = Array(path.utf8)
        var lastBoundary: Int?
        var inQuotes = false
        var index = 0
        while index < bytes.count {
            let b = bytes[index]
            if inQuotes {
                if b == UInt8(ascii: "\\") { index += 1 } else if b == UInt8(ascii: "\"") { inQuotes = false }
            } else if b == UInt8(ascii: "\"") {
                inQuotes = true
            } else if b == UInt8(ascii: ".") || b == UInt8(ascii: "[") {
                lastBoundary = index
            }
            index += 1
        }
        guard path != "$" else { return nil }
        guard let cut = lastBoundary, cut > 0 else { return "$" }
        return String(decoding: bytes[..<cut], as: UTF8.self)
    }
}
