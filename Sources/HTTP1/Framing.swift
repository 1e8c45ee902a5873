/// How a request body is delimited (RFC 9112 §6.3).
public enum RequestFraming: Sendable, Equatable {
    case none, contentLength(Int), chunked
}

/// How a response body is delimited (RFC 9112 §6.3); `untilClose` also forces `keepAlive = false`.
public enum ResponseFraming: Sendable, Equatable {
    case none, contentLength(Int), chunked, untilClose
}
