/// A parsed upstream response head; offsets into the caller's buffer. Reused across responses.
public struct ResponseHead: Sendable, Equatable {
    public var status: Int = 0
    public var version: HTTPVersion = .http1_1
    public var headers: [HeaderField] = []
    public var framing: ResponseFraming = .none
    /// Whether the upstream connection may be reused after this response.
    public var keepAlive: Bool = false
    /// Bytes from the buffer start through the blank line.
    public var headLength: Int = 0

    public init() {}

    /// 1xx interim responses (other than 101, which is refused) precede the final response; the caller skips them.
    public var isInformational: Bool { status >= 100 && status < 200 }

    mutating func clear() {
        status = 0
        version = .http1_1
        headers.removeAll(keepingCapacity: true)
        framing = .none
        keepAlive = false
        headLength = 0
    }
}
