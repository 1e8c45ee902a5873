/// Request methods the gateway distinguishes; every other valid token is `.other` (the bytes stay in `methodRange`).
public enum HTTPMethod: Sendable, Equatable {
    case get, head, post, put, delete, options, patch, trace, connect, other

    /// Methods are case-sensitive (RFC 9110 §9.1), so "get" is `.other`, never `.get`.
    static func classify(_ p: UnsafeRawBufferPointer, _ range: Range<Int>) -> HTTPMethod {
        let s = range.lowerBound
        switch range.count {
        case 3:
            if ASCII.matches(p, s, "GET") { return .get }
            if ASCII.matches(p, s, "PUT") { return .put }
        case 4:
            if ASCII.matches(p, s, "POST") { return .post }
            if ASCII.matches(p, s, "HEAD") { return .head }
        case 5:
            if ASCII.matches(p, s, "PATCH") { return .patch }
            if ASCII.matches(p, s, "TRACE") { return .trace }
        case 6:
            if ASCII.matches(p, s, "DELETE") { return .delete }
        case 7:
            if ASCII.matches(p, s, "OPTIONS") { return .options }
            if ASCII.matches(p, s, "CONNECT") { return .connect }
        default:
            break
        }
        return .other
    }
}
