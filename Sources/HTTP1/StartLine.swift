/// Pieces of start-line parsing shared by requests and responses.
enum StartLine {
    enum Version: Sendable, Equatable {
        case supported(HTTPVersion)
        /// Syntactically HTTP/x.y but not 1.0 or 1.1.
        case unsupported
        case malformed
    }

    /// Parses "HTTP/" DIGIT "." DIGIT at `i`. Compares byte by byte and stops at the first mismatch, so it never reads past
    /// the CR that ends the line.
    static func version(_ p: UnsafeRawBufferPointer, at i: Int) -> Version {
        guard ASCII.matches(p, i, "HTTP/"), ASCII.isDigit(p[i + 5]), p[i + 6] == ASCII.dot, ASCII.isDigit(p[i + 7])
        else { return .malformed }
        guard p[i + 5] == 0x31 else { return .unsupported }
        switch p[i + 7] {
        case 0x31: return .supported(.http1_1)
        case 0x30: return .supported(.http1_0)
        default: return .unsupported
        }
    }
}
