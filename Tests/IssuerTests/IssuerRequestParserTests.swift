import JSON
import Testing

@testable import Issuer

struct IssuerRequestParserTests {
    static let longName = String(repeating: "a", count: 65)
    static let longPassword = String(repeating: "p", count: 1025)
    static let longToken = String(repeating: "t", count: 257)

    /// (case, body, expected username/password or nil for a 400 with that message)
    @Test(arguments: [
        ("good", #"{"username":"alice","password":"secret words here"}"#, "alice|secret words here", nil),
        ("members in any order", #"{"password":"pw","username":"bob"}"#, "bob|pw", nil),
        ("escaped password", #"{"username":"a","password":"p\"\u00e9"}"#, "a|p\"é", nil),
        ("longest name", #"{"username":"\#(String(repeating: "a", count: 64))","password":"pw"}"#,
         "\(String(repeating: "a", count: 64))|pw", nil),
        ("missing password", #"{"username":"alice"}"#, nil, #"The member "password" is missing."#),
        ("missing username", #"{"password":"pw"}"#, nil, #"The member "username" is missing."#),
        ("number password", #"{"username":"alice","password":1234}"#, nil, #"The member "password" must be a string."#),
        ("null username", #"{"username":null,"password":"pw"}"#, nil, #"The member "username" must be a string."#),
        ("empty username", #"{"username":"","password":"pw"}"#, nil, #"The member "username" is empty."#),
        ("unknown member", #"{"username":"a","password":"pw","admin":true}"#, nil, "The request body has an unknown member."),
        ("long username", #"{"username":"\#(longName)","password":"pw"}"#, nil, #"The member "username" is too long."#),
        ("long password", #"{"username":"a","password":"\#(longPassword)"}"#, nil, #"The member "password" is too long."#),
        ("oversized body", #"{"username":"a","password":"\#(String(repeating: " ", count: 9000))"}"#, nil,
         "The request body is too large."),
        ("not JSON", "username=alice&password=pw", nil, "The request body must be a JSON object."),
        ("array", #"["alice","pw"]"#, nil, "The request body must be a JSON object."),
        ("empty body", "", nil, "The request body must be a JSON object."),
        ("duplicate keys", #"{"username":"alice","username":"admin","password":"pw"}"#, nil,
         "The request body must be a JSON object."),
        ("trailing garbage", #"{"username":"a","password":"pw"}x"#, nil, "The request body must be a JSON object."),
    ] as [(String, String, String?, String?)])
    func credentials(name: String, body input: String, expected: String?, message: String?) {
        for result in [IssuerRequestParser.login(Array(input.utf8)), IssuerRequestParser.register(Array(input.utf8))] {
            switch result {
            case .success(let credentials):
                #expect("\(credentials.username)|\(credentials.password)" == expected, "\(name)")
            case .failure(let reply):
                #expect(expected == nil, "\(name)")
                #expect(reply.status == 400)
                #expect(reply.error == "invalid_request")
                #expect(document(reply) == ["error": "invalid_request", "message": .string(message ?? "")], "\(name)")
            }
        }
    }

    @Test(arguments: [
        (#"{"refresh_token":"abc"}"#, "abc", nil),
        ("{}", nil, #"The member "refresh_token" is missing."#),
        (#"{"refresh_token":["abc"]}"#, nil, #"The member "refresh_token" must be a string."#),
        (#"{"refresh_token":"\#(longToken)"}"#, nil, #"The member "refresh_token" is too long."#),
        (#"{"refresh_token":"abc","scope":"x"}"#, nil, "The request body has an unknown member."),
        ("", nil, "The request body must be a JSON object."),
    ] as [(String, String?, String?)])
    func refresh(input: String, expected: String?, message: String?) {
        switch IssuerRequestParser.refresh(Array(input.utf8)) {
        case .success(let token): #expect(token == expected)
        case .failure(let reply):
            #expect(expected == nil)
            #expect(reply.status == 400)
            #expect(string(reply, "message") == message)
        }
    }

    @Test(arguments: [
        ("", "nil", nil),
        ("{}", "nil", nil),
        (#"{"refresh_token":"abc"}"#, "abc", nil),
        (#"{"refresh_token":7}"#, nil, #"The member "refresh_token" must be a string."#),
        (#"{"token":"abc"}"#, nil, "The request body has an unknown member."),
        ("null", nil, "The request body must be a JSON object."),
    ] as [(String, String?, String?)])
    func logout(input: String, expected: String?, message: String?) {
        switch IssuerRequestParser.logout(Array(input.utf8)) {
        case .success(let token): #expect((token ?? "nil") == expected)
        case .failure(let reply):
            #expect(expected == nil)
            #expect(reply.status == 400)
            #expect(string(reply, "message") == message)
        }
    }

    @Test func errorsNeverEchoThePassword() {
        let input = #"{"username":"alice","password":"hunter2-secret","role":"admin"}"#
        guard case .failure(let reply) = IssuerRequestParser.login(Array(input.utf8)) else {
            Issue.record("an unknown member must be refused")
            return
        }
        #expect(!String(decoding: reply.body, as: UTF8.self).contains("hunter2"))
    }
}
