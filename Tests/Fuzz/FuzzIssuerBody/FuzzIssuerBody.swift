import Glibc
import Issuer
import JSON

// Properties of IssuerRequestParser, checked for every input against all four endpoints: an accepted login or register
// never yields an empty username or password, nor one over the documented limits (64 and 1024 UTF-8 bytes); an accepted
// refresh or logout token is at most 256 bytes; a refused body gets a 400 whose body is a JSON object with a string
// "error" member naming the code the reply carries, and that never contains the password the client sent.

/// Release builds drop a precondition's message, so the violated property is written to stderr before trapping.
func violated(_ property: String) -> Never {
    var line = "property violated: \(property)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    preconditionFailure(property)
}

/// Bytes the parser's fixed messages and the JSON writer's framing are made of. A password with any other byte cannot
/// occur in a reply by coincidence, so finding it there means the reply echoes it.
func isFixedTextByte(_ b: UInt8) -> Bool {
    (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
        || Array(" ._\\\":{},".utf8).contains(b)
}

func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, needle.count <= haystack.count else { return false }
    for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
        return true
    }
    return false
}

/// The password member the client sent, as decoded text and as the JSON writer would escape it.
func passwordForms(_ input: [UInt8]) -> [[UInt8]] {
    guard case .object(let object)? = try? JSONParser.parse(input), let password = object["password"]?.stringValue,
        password.utf8.contains(where: { !isFixedTextByte($0) })
    else { return [] }
    var escaped: [UInt8] = []
    JSONWriter.appendString(password, to: &escaped)
    return [Array(password.utf8), Array(escaped.dropFirst().dropLast())]
}

func checkRefused(_ reply: IssuerReply, endpoint: String, passwords: [[UInt8]]) {
    guard reply.status == 400 else { violated("\(endpoint): a refused body got status \(reply.status)") }
    guard case .object(let object)? = try? JSONParser.parse(reply.body) else {
        violated("\(endpoint): a refusal's body is not a JSON object")
    }
    guard let code = object["error"]?.stringValue else { violated("\(endpoint): a refusal has no string \"error\" member") }
    guard reply.error == code else { violated("\(endpoint): the reply's error \(reply.error ?? "nil") is not its body's \(code)") }
    for password in passwords where contains(reply.body, password) {
        violated("\(endpoint): a refusal echoes the password")
    }
}

func checkCredentials(
    _ result: Result<(username: String, password: String), IssuerReply>, endpoint: String, passwords: [[UInt8]]
) {
    switch result {
    case .success(let credentials):
        guard (1...64).contains(credentials.username.utf8.count) else {
            violated("\(endpoint): accepted a username of \(credentials.username.utf8.count) bytes")
        }
        guard (1...1024).contains(credentials.password.utf8.count) else {
            violated("\(endpoint): accepted a password of \(credentials.password.utf8.count) bytes")
        }
    case .failure(let reply):
        checkRefused(reply, endpoint: endpoint, passwords: passwords)
    }
}

func checkToken(_ token: String?, endpoint: String) {
    guard let token else { return }
    guard (1...256).contains(token.utf8.count) else { violated("\(endpoint): accepted a token of \(token.utf8.count) bytes") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Array(UnsafeBufferPointer(start: data, count: size))
    let passwords = passwordForms(body)
    checkCredentials(IssuerRequestParser.login(body), endpoint: "login", passwords: passwords)
    checkCredentials(IssuerRequestParser.register(body), endpoint: "register", passwords: passwords)
    switch IssuerRequestParser.refresh(body) {
    case .success(let token): checkToken(token, endpoint: "refresh")
    case .failure(let reply): checkRefused(reply, endpoint: "refresh", passwords: passwords)
    }
    switch IssuerRequestParser.logout(body) {
    case .success(let token): checkToken(token, endpoint: "logout")
    case .failure(let reply): checkRefused(reply, endpoint: "logout", passwords: passwords)
    }
    return 0
}
