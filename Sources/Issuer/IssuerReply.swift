import JSON

/// A finished answer: status, JSON body, and error code (nil on success) for logs.
/// An `Error` so that a parse failure can be the failure of a `Result`.
public struct IssuerReply: Sendable, Error {
    public var status: Int
    public var body: [UInt8]
    public var error: String?

    public init(status: Int, body: [UInt8], error: String?) {
        self.status = status
        self.body = body
        self.error = error
    }

    /// A success with `object` as its body.
    static func json(_ status: Int, _ members: KeyValuePairs<String, JSONValue>) -> IssuerReply {
        var body: [UInt8] = []
        JSONWriter.serialize(JSONObject(members: members.map { (key: $0.key, value: $0.value) }), to: &body)
        return IssuerReply(status: status, body: body, error: nil)
    }

    /// `{"error": code, "message": message}`. Messages are fixed sentences: they never carry a password or SQL.
    static func failure(_ status: Int, _ code: String, _ message: String) -> IssuerReply {
        var body: [UInt8] = []
        JSONWriter.serialize(JSONObject(members: [("error", .string(code)), ("message", .string(message))]), to: &body)
        return IssuerReply(status: status, body: body, error: code)
    }

    static func invalidRequest(_ message: String) -> IssuerReply { failure(400, "invalid_request", message) }

    static let invalidCredentials = failure(401, "invalid_credentials", "The username or password is incorrect.")
    static let storeUnavailable = failure(500, "store_unavailable", "The account store is unavailable.")
    static let signingFailed = failure(500, "signing_failed", "The token could not be signed.")
    static let notFound = failure(404, "not_found", "Registration is not enabled.")
}
