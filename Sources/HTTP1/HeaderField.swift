/// What the gateway needs to know about a header name, decided once at parse time so later stages switch instead of comparing.
public enum HeaderKind: UInt8, Sendable {
    case other, host, contentLength, transferEncoding, connection
    /// keep-alive, te, trailer, upgrade, proxy-*, and every name listed in Connection.
    case hopByHop
    case expect, authorization, cookie, xForwardedFor, xForwardedProto, xForwardedHost, xRequestId
    /// Any name starting "x-auth-": the gateway's own identity headers, which a client must never supply.
    case xAuthPrefix
}

/// One header line as offsets into the parsed buffer (relative to the message's first byte).
public struct HeaderField: Sendable, Equatable {
    public var name: Range<Int>
    /// Leading and trailing OWS are trimmed.
    public var value: Range<Int>
    public var kind: HeaderKind

    public init(name: Range<Int>, value: Range<Int>, kind: HeaderKind) {
        self.name = name
        self.value = value
        self.kind = kind
    }

    /// Case-insensitive name comparison with a lowercase ASCII literal.
    public func nameEquals(_ lowercaseASCII: StaticString, in buffer: UnsafeRawBufferPointer) -> Bool {
        ASCII.equalsLowercase(buffer, name, lowercaseASCII)
    }

    /// Case-insensitive name comparison with lowercase ASCII bytes.
    public func nameEquals(_ lowercaseASCII: [UInt8], in buffer: UnsafeRawBufferPointer) -> Bool {
        Self.equalsLowercase(buffer, name, lowercaseASCII)
    }

    /// Case-insensitive value comparison with a lowercase ASCII literal.
    public func valueEquals(_ lowercaseASCII: StaticString, in buffer: UnsafeRawBufferPointer) -> Bool {
        ASCII.equalsLowercase(buffer, value, lowercaseASCII)
    }

    /// Case-insensitive value comparison with lowercase ASCII bytes.
    public func valueEquals(_ lowercaseASCII: [UInt8], in buffer: UnsafeRawBufferPointer) -> Bool {
        Self.equalsLowercase(buffer, value, lowercaseASCII)
    }

    private static func equalsLowercase(_ p: UnsafeRawBufferPointer, _ range: Range<Int>, _ bytes: [UInt8]) -> Bool {
        guard range.count == bytes.count, range.upperBound <= p.count else { return false }
        var i = range.lowerBound
        for b in bytes {
            if ASCII.lower(p[i]) != b { return false }
            i += 1
        }
        return true
    }
}

extension HeaderKind {
    /// Classifies a field name (already checked to be a token) by length first, so most names cost one switch.
    static func classify(_ p: UnsafeRawBufferPointer, _ name: Range<Int>) -> HeaderKind {
        switch name.count {
        case 2:
            if ASCII.equalsLowercase(p, name, "te") { return .hopByHop }
        case 4:
            if ASCII.equalsLowercase(p, name, "host") { return .host }
        case 6:
            if ASCII.equalsLowercase(p, name, "cookie") { return .cookie }
            if ASCII.equalsLowercase(p, name, "expect") { return .expect }
        case 7:
            if ASCII.equalsLowercase(p, name, "trailer") { return .hopByHop }
            if ASCII.equalsLowercase(p, name, "upgrade") { return .hopByHop }
        case 10:
            if ASCII.equalsLowercase(p, name, "connection") { return .connection }
            if ASCII.equalsLowercase(p, name, "keep-alive") { return .hopByHop }
        case 12:
            if ASCII.equalsLowercase(p, name, "x-request-id") { return .xRequestId }
        case 13:
            if ASCII.equalsLowercase(p, name, "authorization") { return .authorization }
        case 14:
            if ASCII.equalsLowercase(p, name, "content-length") { return .contentLength }
        case 15:
            if ASCII.equalsLowercase(p, name, "x-forwarded-for") { return .xForwardedFor }
        case 16:
            if ASCII.equalsLowercase(p, name, "x-forwarded-host") { return .xForwardedHost }
        case 17:
            if ASCII.equalsLowercase(p, name, "transfer-encoding") { return .transferEncoding }
            if ASCII.equalsLowercase(p, name, "x-forwarded-proto") { return .xForwardedProto }
        default:
            break
        }
        if ASCII.hasLowercasePrefix(p, name, "proxy-") { return .hopByHop }
        if ASCII.hasLowercasePrefix(p, name, "x-auth-") { return .xAuthPrefix }
        return .other
    }
}
