import HTTP1
import JSON

/// A complete response the example API sends: always Content-Length framed.
struct LegacyResponse {
    var status: Int
    var contentType: String
    var body: [UInt8]
    var extraHeaders: [(String, String)] = []

    static func json(_ status: Int, _ value: JSONValue) -> LegacyResponse {
        var body: [UInt8] = []
        JSONWriter.serialize(value, to: &body)
        body.append(0x0A)
        return LegacyResponse(status: status, contentType: "application/json", body: body)
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> LegacyResponse {
        json(status, ["error": .string(code), "message": .string(message)])
    }

    /// Appends the response; a HEAD answer keeps the headers (with the length of the body it omits).
    func serialize(into out: inout [UInt8], omitBody: Bool, close: Bool) {
        HTTPSerializer.appendStatusLine(status, into: &out)
        out.append(contentsOf: "Server: legacy-api\r\nContent-Type: ".utf8)
        out.append(contentsOf: contentType.utf8)
        out.append(contentsOf: "\r\nContent-Length: ".utf8)
        HTTPSerializer.appendDecimal(body.count, into: &out)
        out.append(contentsOf: "\r\n".utf8)
        for (name, value) in extraHeaders {
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        if close { out.append(contentsOf: "Connection: close\r\n".utf8) }
        out.append(contentsOf: "\r\n".utf8)
        if !omitBody { out.append(contentsOf: body) }
    }
}
