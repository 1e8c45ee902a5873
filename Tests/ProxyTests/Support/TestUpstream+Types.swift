extension TestUpstream {
    /// One request as the upstream read it off the wire.
    struct Received: Sendable {
        /// 1-based, in accept order: equal IDs mean the gateway reused a connection.
        let connectionID: Int
        let method: String
        let target: String
        let version: String
        /// In order, as received, duplicates kept.
        let headers: [(String, String)]
        let body: [UInt8]
        /// The body arrived with Transfer-Encoding: chunked.
        let chunked: Bool

        /// First value of `name`, case-insensitively.
        func header(_ name: String) -> String? { KitWire.first(headers, name) }
        func headers(named name: String) -> [String] { KitWire.all(headers, name) }
        var path: String { String(target.prefix { $0 != "?" }) }
        var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    enum Framing: Sendable, Equatable {
        case contentLength
        case chunked(chunkSize: Int)
        /// No length: the body ends when the upstream closes the connection.
        case closeDelimited
    }

    indirect enum Behavior: Sendable {
        /// The kit adds the framing header (Content-Length or Transfer-Encoding) itself: don't put one in `headers`.
        case respond(status: Int, headers: [(String, String)], body: [UInt8], framing: Framing)
        /// 200 with the request body; chunked (4 KiB chunks) when the request was chunked.
        case echoBody
        /// Sleeps in the upstream's connection thread (interrupted by `stop()`), then behaves as `then`.
        case delay(seconds: Double, then: Behavior)
        /// Reads and discards until the gateway closes the connection or `stop()`.
        case neverRespond
        /// Closes after reading the request, sending nothing.
        case closeImmediately
        /// A valid head announcing `sendBytes * 2 + 64` bytes of Content-Length, `sendBytes` of body, then close.
        case closeMidResponse(sendBytes: Int)
        /// Exactly these bytes, then close.
        case rawResponse([UInt8])
        /// 200 with `bytes` of `TestUpstream.pattern`.
        case large(bytes: Int, framing: Framing)
    }

    /// The deterministic body `large` sends: byte i is i % 251 (a prime, so 2^n-sized buffers don't line up with it).
    static func pattern(count: Int) -> [UInt8] {
        (0..<count).map { UInt8($0 % 251) }
    }
}
