import Testing
@testable import Config

/// `admin` and `pid_file`.
struct AdminConfigTests {
    @Test func absentByDefault() throws {
        let config = try Fixtures.decode(Fixtures.minimal).get()
        #expect(config.admin == nil)
        #expect(config.pidFile == nil)
    }

    @Test func givenValues() throws {
        let config = try Fixtures.decode(Fixtures.operations).get()
        let admin = try #require(config.admin)
        #expect(admin.listen.text == "127.0.0.1:9901")
        #expect(!admin.allowRemote)
        #expect(admin.jsonPath == "admin")
        #expect(config.pidFile == ConfigFilePath(original: "run/gateway.pid", resolved: "/etc/gateway/run/gateway.pid"))
    }

    @Test(arguments: [
        #"{ "listen": "127.0.0.1:9901" }"#, #"{ "listen": "127.1.2.3:9901" }"#, #"{ "listen": "[::1]:9901" }"#,
        #"{ "listen": "localhost:9901" }"#, #"{ "listen": "[::ffff:127.0.0.1]:9901" }"#, #"{ "listen": "127.0.0.1:0" }"#,
        #"{ "listen": "0.0.0.0:9901", "allow_remote": true }"#, #"{ "listen": "[::]:9901", "allow_remote": true }"#,
        #"{ "listen": "10.0.0.1:9901", "allow_remote": true }"#,
    ])
    func acceptedAddresses(admin: String) throws {
        #expect(try Fixtures.decode(Fixtures.top(#""admin": \#(admin)"#)).get().admin != nil)
    }

    /// Values of `admin` beside `listen` 127.0.0.1:8080.
    @Test(arguments: [
        (
            #"{ "listen": "0.0.0.0:9901" }"#,
            [#"admin.listen: 0.0.0.0:9901 is reachable from other machines, and the admin endpoints (metrics, reload) have no authentication; use a loopback address such as "127.0.0.1:9901", or set "allow_remote": true if a firewall protects it"#]
        ),
        (
            #"{ "listen": "[::]:9901", "allow_remote": false }"#,
            [#"admin.listen: [::]:9901 is reachable from other machines, and the admin endpoints (metrics, reload) have no authentication; use a loopback address such as "127.0.0.1:9901", or set "allow_remote": true if a firewall protects it"#]
        ),
        (
            #"{ "listen": "10.1.2.3:9901" }"#,
            [#"admin.listen: 10.1.2.3:9901 is reachable from other machines, and the admin endpoints (metrics, reload) have no authentication; use a loopback address such as "127.0.0.1:9901", or set "allow_remote": true if a firewall protects it"#]
        ),
        (#"{}"#, [#"admin.listen: missing required key"#]),
        (#"{ "allow_remote": true }"#, [#"admin.listen: missing required key"#]),
        (#""127.0.0.1:9901""#, [#"admin: expected an object, got a string ("127.0.0.1:9901")"#]),
        (#"{ "listen": "127.0.0.1" }"#, [#"admin.listen: invalid address "127.0.0.1": expected host:port"#]),
        (#"{ "listen": "127.0.0.1:9901", "allow_remote": 1 }"#, [#"admin.allow_remote: expected true or false, got a number (1)"#]),
        (
            #"{ "listen": "127.0.0.1:9901", "allowRemote": true }"#,
            [#"admin.allowRemote: unknown key; did you mean "allow_remote"? (known: listen, allow_remote)"#]
        ),
        (
            #"{ "listen": "127.0.0.1:8080" }"#,
            [#"admin.listen: 127.0.0.1:8080 takes the same connections as listen (127.0.0.1:8080); the admin listener needs its own port"#]
        ),
        (
            #"{ "listen": "localhost:8080" }"#,
            [#"admin.listen: localhost:8080 takes the same connections as listen (127.0.0.1:8080); the admin listener needs its own port"#]
        ),
        (
            #"{ "listen": "0.0.0.0:8080", "allow_remote": true }"#,
            [#"admin.listen: 0.0.0.0:8080 takes the same connections as listen (127.0.0.1:8080); the admin listener needs its own port"#]
        ),
    ])
    func problems(admin: String, expected: [String]) {
        #expect(Fixtures.problems(Fixtures.top(#""admin": \#(admin)"#)).map(\.description) == expected, "\(admin)")
    }

    @Test func overlapWithATLSListenerInAList() {
        let json = Fixtures.operations.replacing(#""admin": { "listen": "127.0.0.1:9901" }"#, with: #""admin": { "listen": "[::]:8443", "allow_remote": true }"#)
        #expect(
            Fixtures.problems(json).map(\.description) == [
                #"admin.listen: [::]:8443 takes the same connections as listen[1] (127.0.0.1:8443); the admin listener needs its own port"#
            ])
    }

    @Test(arguments: [
        ("127.0.0.1:8080", "127.0.0.1:9901", false), ("127.0.0.1:0", "127.0.0.1:0", false), ("[::1]:80", "127.0.0.1:80", false),
        ("0.0.0.0:80", "[::1]:80", false), ("0.0.0.0:80", "127.0.0.1:80", true), ("localhost:80", "127.0.0.1:80", true),
        ("[::]:80", "10.0.0.1:80", true), ("[::]:80", "[::1]:80", true), ("[::1]:80", "[::1]:80", true),
        ("10.0.0.1:80", "10.0.0.2:80", false),
    ])
    func overlaps(a: String, b: String, expected: Bool) throws {
        let (x, y) = (try HostPort.parse(a, allowZeroPort: true).get(), try HostPort.parse(b, allowZeroPort: true).get())
        #expect(x.overlaps(y) == expected)
        #expect(y.overlaps(x) == expected)
    }

    @Test(arguments: [
        (#""pid_file": """#, [#"pid_file: file path must not be empty"#]),
        (#""pid_file": true"#, [#"pid_file: expected a file path, got a boolean (true)"#]),
        (#""pidfile": "g.pid""#, [#"pidfile: unknown key; did you mean "pid_file"? (known: listen, workers, realm, limits, timeouts, upstreams, issuers, store, issuer, rate_limit, routes, log, admin, pid_file)"#]),
    ])
    func pidFileProblems(member: String, expected: [String]) {
        #expect(Fixtures.problems(Fixtures.top(member)).map(\.description) == expected, "\(member)")
    }

    @Test func absolutePidFile() throws {
        #expect(try Fixtures.decode(Fixtures.top(#""pid_file": "/run/gateway.pid""#)).get().pidFile?.resolved == "/run/gateway.pid")
    }
}
