import JSON

/// Strict body parsing on the worker thread: a JSON object (JSON module), string members, unknown members
/// refused, sizes bounded (username ≤ 64 bytes, password ≤ 1024 bytes, refresh token ≤ 256). Failure is a
/// ready 400 reply {"error":"invalid_request","message":...}.
public enum IssuerRequestParser {
    static let maxUsernameBytes = 64
    /// The same cap as `PasswordPolicy.maximumBytes`: no more than that is ever hashed per attempt.
    static let maxPasswordBytes = 1024
    static let maxRefreshTokenBytes = 256
    /// Above what the largest valid body needs even with every password byte escaped as `\u00XX`; refused
    /// before parsing, so an oversized body costs no parse.
    static let maxBodyBytes = 8192

    public static func login(_ body: [UInt8]) -> Result<(username: String, password: String), IssuerReply> {
        credentials(body)
    }

    public static func register(_ body: [UInt8]) -> Result<(username: String, password: String), IssuerReply> {
        credentials(body)
    }

    public static func refresh(_ body: [UInt8]) -> Result<String, IssuerReply> {
        members(body, [Member(name: "refresh_token", maxBytes: maxRefreshTokenBytes, required: true)]).map {
            $0[0] ?? ""
        }
    }

    /// Logout's body is optional: empty body → nil; else {"refresh_token": "..."}.
    public static func logout(_ body: [UInt8]) -> Result<String?, IssuerReply> {
        guard !body.isEmpty else { return .success(nil) }
        return members(body, [Member(name: "refresh_token", maxBytes: maxRefreshTokenBytes, required: false)]).map {
            $0[0]
        }
    }

    private struct Member {
        let name: String
        let maxBytes: Int
        let required: Bool
    }

    private static func credentials(_ body: [UInt8]) -> Result<(username: String, password: String), IssuerReply> {
        members(
            body,
            [
                Member(name: "username", maxBytes: maxUsernameBytes, required: true),
                Member(name: "password", maxBytes: maxPasswordBytes, required: true),
            ]
        ).map { (username: $0[0] ?? "", password: $0[1] ?? "") }
    }

    /// The values of `expected`, in order (nil for an absent optional member).
    private static func members(_ body: [UInt8], _ expected: [Member]) -> Result<[String?], IssuerReply> {
        guard body.count <= maxBodyBytes else { return .failure(.invalidRequest("The request body is too large.")) }
        // The parser refuses duplicate names: two readers could otherwise disagree on which value counts.
        guard let document = try? JSONParser.parse(body, maxDepth: 2), let object = document.objectValue else {
            return .failure(.invalidRequest("The request body must be a JSON object."))
        }
        // Unknown names are not echoed: the message stays a fixed sentence whatever the client sent.
        guard object.members.allSatisfy({ member in expected.contains { $0.name == member.key } }) else {
            return .failure(.invalidRequest("The request body has an unknown member."))
        }
        var values: [String?] = []
        for member in expected {
            guard let value = object[member.name] else {
                if member.required { return .failure(.invalidRequest("The member \"\(member.name)\" is missing.")) }
                values.append(nil)
                continue
            }
            guard let text = value.stringValue else {
                return .failure(.invalidRequest("The member \"\(member.name)\" must be a string."))
            }
            guard !text.isEmpty else { return .failure(.invalidRequest("The member \"\(member.name)\" is empty.")) }
            guard text.utf8.count <= member.maxBytes else {
                return .failure(.invalidRequest("The member \"\(member.name)\" is too long."))
            }
            values.append(text)
        }
        return .success(values)
    }
}
