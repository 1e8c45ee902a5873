/// A parsed request head: offsets into the caller's buffer plus the decisions the proxy needs. Reused across requests so the
/// headers array keeps its capacity.
public struct RequestHead: Sendable, Equatable {
    public var method: HTTPMethod = .other
    public var methodRange: Range<Int> = 0..<0
    public var target: Range<Int> = 0..<0
    public var version: HTTPVersion = .http1_1
    public var headers: [HeaderField] = []
    /// Index of the Host header in `headers`, or -1 (HTTP/1.0 without Host).
    public var hostIndex: Int = -1
    public var framing: RequestFraming = .none
    public var keepAlive: Bool = false
    /// True only for an HTTP/1.1 request with "Expect: 100-continue" (HTTP/1.0 expectations are ignored, RFC 9110 §10.1.1).
    public var expectContinue: Bool = false
    /// Bytes from the buffer start through the blank line; the body (if any) starts here.
    public var headLength: Int = 0

    public init() {}

    mutating func clear() {
        method = .other
        methodRange = 0..<0
        target = 0..<0
        version = .http1_1
        headers.removeAll(keepingCapacity: true)
        hostIndex = -1
        framing = .none
        keepAlive = false
        expectContinue = false
        headLength = 0
    }
}
