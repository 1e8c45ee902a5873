import EventLoop
import HTTP1
import JWT

/// The state of the one request in flight on a client connection, kept inline in the connection (no
/// allocation per request).
struct Exchange {
    var active = false
    var routeIndex = -1
    /// The admitted route, from the snapshot the request began under (a reload may replace the worker's).
    var route: Route? = nil
    var method: HTTPMethod = .get
    var isHead = false
    var clientVersion: HTTPVersion = .http1_1
    var clientKeepAlive = true
    var requestFraming: RequestFraming = .none
    var bodyRemaining = 0
    var chunked = ChunkedDecoder(maxBodyBytes: nil)
    var requestBodyDone = true
    var expectContinue = false
    /// The request can be replayed on a fresh upstream connection (idempotent, no body).
    var retryable = false
    var retried = false
    var responseStarted = false
    var responseFraming: ClientFraming = .none
    var responseRemaining = 0
    var status = 0
    var bytesSent = 0
    var startNanos: UInt64 = 0
    var rateInfo: RateLimitInfo? = nil
    var upstreamIndex = -1
    var targetIndex = -1
    /// Request id: echoed or generated; ASCII, at most 64 bytes.
    var requestID: [UInt8] = []
    /// For the access log (filled only when logging is on).
    var logMethod: [UInt8] = []
    var logPath: [UInt8] = []
    var subject: String? = nil
    /// The CORS policy of the route when the request carried an Origin; nil otherwise.
    var cors: CORSPolicy? = nil
    var corsOrigin: [UInt8] = []
    var corsAllowed = false
    /// The gateway's own endpoint serving this request (the issuer's), for the access log.
    var local: LocalEndpoint? = nil
    /// How the gateway decided, for the request counters (set with the rejection).
    var decision: MetricsDecision = .allowed

    /// Adds the CORS headers this exchange's answer needs (each line ending in CRLF).
    func writeCORSHeaders(into out: ByteBuffer) {
        guard let cors else { return }
        if corsAllowed {
            cors.writeResponseHeaders(origin: corsOrigin, into: out)
        } else if !cors.anyOrigin {
            out.append("Vary: Origin\r\n")
        }
    }

    mutating func reset() {
        active = false
        routeIndex = -1
        route = nil
        requestFraming = .none
        bodyRemaining = 0
        requestBodyDone = true
        expectContinue = false
        retryable = false
        retried = false
        responseStarted = false
        responseFraming = .none
        responseRemaining = 0
        status = 0
        bytesSent = 0
        rateInfo = nil
        upstreamIndex = -1
        targetIndex = -1
        requestID.removeAll(keepingCapacity: true)
        if !logMethod.isEmpty { logMethod.removeAll(keepingCapacity: true) }
        if !logPath.isEmpty { logPath.removeAll(keepingCapacity: true) }
        subject = nil
        cors = nil
        if !corsOrigin.isEmpty { corsOrigin.removeAll(keepingCapacity: true) }
        corsAllowed = false
        local = nil
        decision = .allowed
    }
}

/// How the response body is framed towards the client.
enum ClientFraming: Equatable {
    case none
    case contentLength
    /// Re-encoded as chunked (upstream sent chunked or close-delimited to an HTTP/1.1 client).
    case chunked
    /// Close-delimited (an HTTP/1.0 client and a body of unknown length).
    case untilClose
}
