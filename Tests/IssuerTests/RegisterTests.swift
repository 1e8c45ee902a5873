import JSON
import Testing

@testable import Issuer

struct RegisterTests {
    @Test(arguments: [
        (true, "newuser", testPassword, 201, nil),
        (true, "e.mail+tag@example.com", testPassword, 201, nil),
        (false, "newuser", testPassword, 404, "not_found"),
        (true, "alice", testPassword, 409, "username_taken"),
        (true, "newuser", "too short", 400, "weak_password"),
        (true, "bad name", testPassword, 400, "invalid_username"),
        (true, "comma,name", testPassword, 400, "invalid_username"),
    ] as [(Bool, String, String, Int, String?)])
    func registration(enabled: Bool, username: String, password: String, status: Int, code: String?) async throws {
        let fixture = try IssuerFixture(registerEnabled: enabled)
        let reply = await fixture.perform(.register(username: username, password: password))
        #expect(reply.status == status)
        #expect(reply.error == code)
        #expect(!String(decoding: reply.body, as: UTF8.self).contains(password))
        if let code {
            #expect(string(reply, "error") == code)
            #expect(string(reply, "message")?.hasSuffix(".") == true)
        } else {
            #expect(document(reply) == ["username": .string(username), "roles": ["reader"]])
            // The new account can sign in and gets the registration roles.
            let login = await fixture.login(username, password)
            #expect(login.status == 200)
        }
    }
}
