import HTTP1
import JSON

/// What the admin endpoints need from the gateway. Closures, so the admin server owns no gateway state.
public struct AdminHandlers: Sendable {
    /// The `version` label of `gateway_info`.
    public var version: String
    /// Names of the issuers whose keys are not available (empty when every issuer can verify tokens).
    public var issuersWithoutKeys: @Sendable () -> [String]
    /// Reloads the configuration as SIGHUP does; runs on the admin thread and answers when done.
    public var reload: @Sendable () -> (ok: Bool, message: String)

    public init(
        version: String, issuersWithoutKeys: @escaping @Sendable () -> [String] = { [] },
        reload: @escaping @Sendable () -> (ok: Bool, message: String)
    ) {
        self.version = version
        self.issuersWithoutKeys = issuersWithoutKeys
        self.reload = reload
    }
}

/// One admin answer: status, content type and body (the head is written by `bytes(headRequest:)`).
struct AdminResponse {
    var status: Int
    var contentType = "application/json"
    var body: [UInt8]
    var allow: String? = nil

    func bytes(headRequest: Bool) -> [UInt8] {
        var out = Array("HTTP/1.1 \(status) ".utf8)
        out.append(contentsOf: HTTPSerializer.reasonPhrase(status).utf8)
        out.append(contentsOf: "\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\nCache-Control: no-store\r\n".utf8)
        if let allow { out.append(contentsOf: "Allow: \(allow)\r\n".utf8) }
        out.append(contentsOf: "Connection: close\r\n\r\n".utf8)
        if !headRequest { out.append(contentsOf: body) }
        return out
    }

    static func json(_ status: Int, _ members: [(String, JSONValue)], allow: String? = nil) -> AdminResponse {
        var body: [UInt8] = []
        JSONWriter.serialize(.object(JSONObject(members: members.map { (key: $0.0, value: $0.1) })), to: &body)
        body.append(0x0A)
        return AdminResponse(status: status, body: body, allow: allow)
    }

    static func error(_ status: Int, _ code: String, _ message: String, allow: String? = nil) -> AdminResponse {
        json(status, [("error", .string(code)), ("message", .string(message))], allow: allow)
    }
}

/// Routes one admin request to its answer. Separate from the socket code so each endpoint is a plain call.
struct AdminResponder: Sendable {
    let metrics: GatewayMetrics
    let handlers: AdminHandlers

    /// `fromBrowser`: the request carried an Origin header.
    func respond(method: HTTPMethod, path: String, fromBrowser: Bool) -> AdminResponse {
        let read = method == .get || method == .head
        switch path {
        case "/healthz":
            guard read else { return .error(405, "method_not_allowed", "Use GET.", allow: "GET, HEAD") }
            return .json(200, [("status", .string("ok"))])
        case "/readyz":
            guard read else { return .error(405, "method_not_allowed", "Use GET.", allow: "GET, HEAD") }
            return readiness()
        case "/metrics":
            guard read else { return .error(405, "method_not_allowed", "Use GET.", allow: "GET, HEAD") }
            return AdminResponse(status: 200, contentType: PrometheusText.contentType, body: metrics.prometheusText(version: handlers.version))
        case "/reload":
            guard method == .post else { return .error(405, "method_not_allowed", "Use POST.", allow: "POST") }
            // A web page the operator has open could POST here (a form needs no preflight); browsers mark
            // such requests with Origin, and no legitimate caller of this endpoint sends one.
            if fromBrowser { return .error(403, "forbidden", "Reload is not accepted from a browser.") }
            let result = handlers.reload()
            return .json(result.ok ? 200 : 500, [("status", .string(result.ok ? "ok" : "failed")), ("message", .string(result.message))])
        default:
            return .error(404, "not_found", "Admin endpoints: /healthz, /readyz, /metrics, /reload.")
        }
    }

    /// Ready when the workers run with a loaded config, every issuer has keys, and every upstream has a
    /// target in service.
    func readiness() -> AdminResponse {
        var checks: [JSONValue] = []
        var ready = true
        func check(_ name: String, _ ok: Bool, _ detail: String?) {
            var members: [(String, JSONValue)] = [("name", .string(name)), ("ok", .bool(ok))]
            if let detail, !ok { members.append(("detail", .string(detail))) }
            checks.append(.object(JSONObject(members: members.map { (key: $0.0, value: $0.1) })))
            ready = ready && ok
        }
        check("config", metrics.workerCount > 0, "no worker is running")
        let missing = handlers.issuersWithoutKeys()
        check("keys", missing.isEmpty, "no keys yet for: " + missing.joined(separator: ", "))
        for u in metrics.upstreamHealth() {
            check("upstream:" + u.name, u.inService, "every target is ejected after failures")
        }
        return .json(ready ? 200 : 503, [("status", .string(ready ? "ready" : "not_ready")), ("checks", .array(checks))])
    }
}
