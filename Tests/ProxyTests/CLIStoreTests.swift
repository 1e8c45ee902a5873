import Foundation
import Testing

/// The real `gateway user` and `gateway revoke` processes against a database in a fresh directory: exit statuses,
/// what lands in the store (read back through the listing commands), and the usage errors.
@Suite struct CLIStoreTests {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// A fresh directory (the processes' working directory) removed when the test ends.
    final class Workspace {
        let url: URL

        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("gw-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(at: url) }

        /// Runs the gateway built beside this test bundle with `arguments`, `stdin` piped in (so not a terminal).
        func gateway(_ arguments: [String], stdin: String = "") throws -> Outcome {
            let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gateway")
            try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the gateway product first")
            let process = Process()
            process.executableURL = binary
            process.arguments = arguments
            process.currentDirectoryURL = url
            let input = Pipe()
            let output = Pipe()
            let errors = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
            let out = output.fileHandleForReading.readDataToEndOfFile()
            let err = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return Outcome(
                status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
        }

        /// `gateway <arguments> --database store.db`.
        func store(_ arguments: [String], stdin: String = "") throws -> Outcome {
            try gateway(arguments + ["--database", "store.db"], stdin: stdin)
        }

        func users() throws -> [[String: Any]] {
            let listed = try store(["user", "list", "--json"])
            #expect(listed.status == 0, "\(listed.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        }

        /// `revoke --list` rows as their columns.
        func revocations() throws -> [[String]] {
            let listed = try store(["revoke", "--list"])
            #expect(listed.status == 0, "\(listed.stderr)")
            return listed.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: " ").map(String.init) }
        }
    }

    static let usageStatus: Int32 = 64

    @Test func userLifecycleThroughTheStore() throws {
        let workspace = try Workspace()
        let added = try workspace.store(["user", "add", "kyle", "--roles", "reader, admin,reader"], stdin: "kyle's long password\n")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.isEmpty)
        var users = try workspace.users()
        #expect(users.count == 1)
        #expect(users.first?["username"] as? String == "kyle")
        #expect(users.first?["roles"] as? [String] == ["reader", "admin"])
        #expect(users.first?["disabled"] as? Bool == false)
        #expect(users.first?["password_hash"] == nil)
        let created = try #require(users.first?["created_at"] as? String)
        #expect(created.count == 20 && created.hasSuffix("Z"))

        #expect(try workspace.store(["user", "disable", "kyle"]).status == 0)
        users = try workspace.users()
        #expect(users.first?["disabled"] as? Bool == true)
        let table = try workspace.store(["user", "list"])
        #expect(table.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) } == [
            ["USERNAME", "ROLES", "STATUS", "CREATED"], ["kyle", "reader,admin", "disabled", created],
        ])
        #expect(try workspace.store(["user", "enable", "kyle"]).status == 0)
        #expect(try workspace.users().first?["disabled"] as? Bool == false)

        let changed = try workspace.store(["user", "passwd", "kyle", "--password-stdin"], stdin: "a different long password\n")
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.stderr.contains("refresh tokens revoked"))
    }

    @Test func addRefusesShortPasswordsDuplicatesAndEmptyInput() throws {
        let workspace = try Workspace()
        let short = try workspace.store(["user", "add", "kyle"], stdin: "elevenchars\n")
        #expect(short.status == 1)
        #expect(short.stderr.contains("at least 12 characters"))
        let empty = try workspace.store(["user", "add", "kyle"], stdin: "")
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("no password on stdin"))
        #expect(try workspace.users().isEmpty)

        #expect(try workspace.store(["user", "add", "kyle"], stdin: "kyle's long password\n").status == 0)
        let again = try workspace.store(["user", "add", "kyle"], stdin: "another long password\n")
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists"))
        let badName = try workspace.store(["user", "add", "kyle smith"], stdin: "a long password!!\n")
        #expect(badName.status == 1)
        #expect(try workspace.users().count == 1)
    }

    @Test(arguments: [["user", "disable", "nobody"], ["user", "enable", "nobody"], ["user", "passwd", "nobody"]])
    func unknownUsersFailWithStatusOne(_ arguments: [String]) throws {
        let workspace = try Workspace()
        #expect(try workspace.store(["user", "add", "kyle"], stdin: "kyle's long password\n").status == 0)
        let outcome = try workspace.store(arguments, stdin: "a long password!!\n")
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("no user 'nobody'"))
    }

    @Test func listingsRefuseAMissingDatabase() throws {
        let workspace = try Workspace()
        for arguments in [["user", "list"], ["revoke", "--list"]] {
            let outcome = try workspace.store(arguments)
            #expect(outcome.status == 1)
            #expect(outcome.stderr.contains("no database at store.db"))
        }
        #expect(!FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent("store.db").path))
    }

    @Test func revocationsAreWrittenAndListed() throws {
        let workspace = try Workspace()
        let jti = try workspace.store(["revoke", "--jti", "3q2-7wEjB0mT0a1x9kYf2w", "--until", "2099-01-02T03:04:05Z"])
        #expect(jti.status == 0, "\(jti.stderr)")
        #expect(jti.stdout == "revoked jti 3q2-7wEjB0mT0a1x9kYf2w until 2099-01-02T03:04:05Z\n")
        #expect(jti.stderr.contains("poll_interval"))
        // 4070908800 is 2099-01-01T00:00:00Z.
        let sub = try workspace.store(["revoke", "--sub", "kyle", "--before", "4070908800", "--until", "+1h"])
        #expect(sub.status == 0, "\(sub.stderr)")
        #expect(sub.stdout.hasPrefix("revoked sub kyle: tokens issued before 2099-01-01T00:00:00Z, until 2099-01-01T00:00:00Z"))
        #expect(try workspace.store(["revoke", "--sub", "ann", "--before", "-1h"]).status == 0)
        let rows = try workspace.revocations()
        #expect(rows.count == 3)
        #expect(rows.first == ["jti", "3q2-7wEjB0mT0a1x9kYf2w", "-", "2099-01-02T03:04:05Z"])
        #expect(rows.dropFirst().map { $0.prefix(2) } == [["sub", "ann"], ["sub", "kyle"]])
        // The default lifetime of a subject revocation without an issuer config: 30 days from --before.
        let ann = try #require(rows.dropFirst().first)
        let before = try #require(Self.seconds(ann[2]))
        #expect(try #require(Self.seconds(ann[3])) - before == 30 * 86_400)
        #expect(abs(before + 3_600 - Int(Date().timeIntervalSince1970)) < 60)
    }

    @Test(arguments: [
        ["revoke"], ["revoke", "--jti", "a", "--sub", "b"], ["revoke", "--jti", "a", "--list"],
        ["revoke", "--jti", "a", "--before", "+1h"], ["revoke", "--list", "--until", "+1h"],
        ["revoke", "--jti", "a", "--until", "tomorrow"], ["revoke", "--jti", "a", "--until", "2099-02-29T00:00:00Z"],
        ["revoke", "--jti", "a", "--until", "2099-01-01 00:00:00Z"], ["revoke", "--jti", "a", "--until", "+15x"],
        ["revoke", "--jti", "a", "--until", "2020-01-01T00:00:00Z"], ["revoke", "--jti", "a", "--until", "-1m"],
        ["revoke", "--jti", ""], ["revoke", "--sub", "line\nbreak"], ["user", "add"],
    ])
    func usageErrorsExitWithTheUsageStatus(_ arguments: [String]) throws {
        let workspace = try Workspace()
        let outcome = try workspace.store(arguments, stdin: "a long password!!\n")
        #expect(outcome.status == Self.usageStatus, "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent("store.db").path))
    }

    /// Without --database: the config's store.path, relative to the config file, and the issuer's settings.
    @Test func theConfigNamesTheDatabaseAndTheDefaults() throws {
        let workspace = try Workspace()
        let configDirectory = workspace.url.appendingPathComponent("etc")
        try FileManager.default.createDirectory(at: configDirectory, withIntermediateDirectories: true)
        try """
        {
          "listen": "127.0.0.1:8080",
          "upstreams": { "legacy": ["127.0.0.1:9000"] },
          "routes": [ { "prefix": "/", "upstream": "legacy", "auth": "public" } ],
          "store": { "path": "users.db", "poll_interval": "250ms" },
          "issuer": {
            "iss": "https://gateway.test", "key": { "alg": "HS256", "secret_env": "CLI_TEST_SECRET" },
            "refresh_ttl": "2d", "password_hash": { "ln": 14, "r": 8, "p": 1 }
          }
        }
        """.write(to: configDirectory.appendingPathComponent("gateway.json"), atomically: true, encoding: .utf8)
        let config = ["--config", "etc/gateway.json"]

        let added = try workspace.gateway(["user", "add", "kyle"] + config, stdin: "kyle's long password\n")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(FileManager.default.fileExists(atPath: configDirectory.appendingPathComponent("users.db").path))
        let listed = try workspace.gateway(["user", "list"] + config)
        #expect(listed.stdout.contains("kyle"))

        let revoked = try workspace.gateway(["revoke", "--sub", "kyle", "--before", "4070908800"] + config)
        #expect(revoked.status == 0, "\(revoked.stderr)")
        // The default lifetime of a subject revocation is the issuer's refresh_ttl when no other issuer is configured.
        #expect(revoked.stdout == "revoked sub kyle: tokens issued before 2099-01-01T00:00:00Z, until 2099-01-03T00:00:00Z\n")
        #expect(revoked.stderr.contains("250ms (store.poll_interval)"))
    }

    @Test func aConfigWithoutStoreNeedsDatabase() throws {
        let workspace = try Workspace()
        try """
        {
          "listen": "127.0.0.1:8080",
          "upstreams": { "legacy": ["127.0.0.1:9000"] },
          "routes": [ { "prefix": "/", "upstream": "legacy", "auth": "public" } ]
        }
        """.write(to: workspace.url.appendingPathComponent("gateway.json"), atomically: true, encoding: .utf8)
        let outcome = try workspace.gateway(["revoke", "--list"])
        #expect(outcome.status == Self.usageStatus)
        #expect(outcome.stderr.contains(#"has no "store" section"#))
    }

    @Test func withoutDatabaseOrConfigTheCommandsSaySo() throws {
        let workspace = try Workspace()
        let outcome = try workspace.gateway(["user", "list"])
        #expect(outcome.status == Self.usageStatus)
        #expect(outcome.stderr.contains("pass --database PATH"))
    }

    /// ISO-8601 UTC as the commands print it, to Unix seconds.
    static func seconds(_ text: String) -> Int? {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.date(from: text).map { Int($0.timeIntervalSince1970) }
    }
}
