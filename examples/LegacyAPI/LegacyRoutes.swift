import JSON

/// The legacy service's endpoints. It has no authentication of its own: it believes the X-Auth-* identity headers
/// the gateway adds, which is safe only because the gateway strips any a client sends and is the only way in.
enum LegacyRoutes {
    /// `staticFiles` is the demo page's directory; without one, "/" stays a plain-text placeholder and /web/ is empty.
    static func respond(to request: LegacyRequest, staticFiles: StaticFiles?) -> LegacyResponse {
        let path = request.path
        if path == "/api/echo" { return echo(request) }
        let readOnly = request.method == "GET" || request.method == "HEAD"
        let page = staticFiles.flatMap { files in StaticFiles.entry(for: path).map { (files, $0) } }
        let known = page != nil || ["/", "/healthz", "/api/unsecure", "/api/secure", "/api/admin/report"].contains(path)
        guard known else { return .error(404, "not_found", "There is no endpoint at this path.") }
        guard readOnly else {
            var response = LegacyResponse.error(405, "method_not_allowed", "This endpoint only answers GET and HEAD.")
            response.extraHeaders = [("Allow", "GET, HEAD")]
            return response
        }
        if let (files, entry) = page { return files.response(for: entry) }
        let subject = request.header("x-auth-subject") ?? "anonymous"
        switch path {
        case "/":
            return LegacyResponse(status: 200, contentType: "text/plain; charset=utf-8", body: Array("legacy api\n".utf8))
        case "/healthz":
            return .json(200, ["status": "ok"])
        case "/api/unsecure":
            return .json(200, ["message": "anyone can see this"])
        case "/api/secure":
            return .json(200, [
                "message": .string("hello \(subject)"),
                "subject": .string(subject),
                "roles": .array(roles(request).map { .string($0) }),
            ])
        default:
            return .json(200, [
                "report": [
                    "title": "Quarterly access report",
                    "quarters": [
                        ["quarter": "Q1", "active_users": 1204, "incidents": 2],
                        ["quarter": "Q2", "active_users": 1381, "incidents": 0],
                    ],
                ],
                "generated_for": .string(subject),
            ])
        }
    }

    /// X-Auth-Roles as the gateway sends it: a comma- or space-separated list.
    static func roles(_ request: LegacyRequest) -> [String] {
        guard let value = request.header("x-auth-roles") else { return [] }
        return value.split { $0 == "," || $0 == " " }.map(String.init)
    }

    /// Echoes everything the service received, so a demo (and the tests) can see exactly what the gateway forwarded.
    static func echo(_ request: LegacyRequest) -> LegacyResponse {
        var headers = JSONObject()
        for (name, value) in request.headers {
            let key = name.lowercased()
            // Repeated fields combine with ", " (RFC 9110 §5.3), so no value is lost in a JSON object.
            if case .string(let existing)? = headers[key] {
                headers[key] = .string(existing + ", " + value)
            } else {
                headers[key] = .string(value)
            }
        }
        let text = String(validating: request.body, as: UTF8.self)
        return .json(200, [
            "method": .string(request.method),
            "path": .string(String(request.path)),
            "query": request.query.map { .string(String($0)) } ?? .null,
            "headers": .object(headers),
            "body": .string(text ?? Base64.encode(request.body)),
            "body_encoding": .string(text == nil ? "base64" : "utf8"),
            "body_length": .number(JSONNumber(Int64(request.body.count))),
        ])
    }
}
