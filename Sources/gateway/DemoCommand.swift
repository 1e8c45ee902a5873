import ArgumentParser
import Config
import EventLoop
import Glibc
import LegacyAPI
import Proxy
import Store

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start the example legacy API and the gateway in front of it (one process), with demo users, and print how to try it.",
        discussion: """
            Uses gateway.json: the legacy API listens on the first target of the upstream "legacy", the gateway on
            "listen". The built-in issuer gets a fresh database in a temporary directory (unless --database names one)
            with two users, kyle (reader) and admin (reader, admin), whose passwords are printed once. If
            GATEWAY_DEMO_SECRET is unset, a random secret is made for this run.
            """)

    @OptionGroup var options: ConfigOptions

    @Option(help: "Keep the demo's users and revocations in this database instead of a temporary one.")
    var database: String?

    func run() throws {
        Lifecycle.enabled = true
        if getenv("GATEWAY_DEMO_SECRET") == nil {
            setenv("GATEWAY_DEMO_SECRET", Self.randomText(groups: 8), 1)
        }
        let (cfg, loaded) = try options.loadSnapshot()
        var snapshot = loaded
        guard let upstream = snapshot.upstreams.first(where: { $0.name == "legacy" }) ?? snapshot.upstreams.first,
            let target = upstream.targets.first
        else {
            printError("gateway demo: the config has no upstream to start the legacy API on")
            throw ExitCode(1)
        }
        var temporary: String? = nil
        var users: [(name: String, roles: [String], password: String?)] = []
        if snapshot.store != nil {
            let path: String
            if let database {
                path = database
            } else {
                var template = Array("/tmp/gateway-demo-XXXXXX".utf8CString)
                guard let dir = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap { mkdtemp($0) } }) else {
                    printError("gateway demo: cannot create a temporary directory")
                    throw ExitCode(1)
                }
                temporary = String(cString: dir)
                path = (temporary ?? "/tmp") + "/gateway.db"
            }
            snapshot = snapshot.with(storePath: path)
            users = try seedUsers(path: path, scrypt: snapshot.issuer?.settings.scrypt ?? .default)
        }
        defer { if let temporary { removeTemporary(temporary) } }

        let signals = Gateway.terminationSignals()
        let legacy = LegacyAPIServer(listen: target, threads: 1, staticDirectory: LegacyAPIServer.defaultStaticDirectory())
        do {
            _ = try legacy.start()
        } catch {
            printError("gateway demo: cannot start the legacy API on \(target): \(error)")
            throw ExitCode(1)
        }
        let gateway = Gateway(snapshot: snapshot)
        do {
            try gateway.start()
        } catch {
            legacy.stop()
            printError("gateway demo: cannot start the gateway: \(error)")
            throw ExitCode(1)
        }
        let base = "http://\(gateway.boundAddresses.first?.description ?? "127.0.0.1:8080")"
        printOut(instructions(base: base, target: target, cfg: cfg, snapshot: snapshot, users: users))
        gateway.runUntilSignal(signalFD: signals)
        legacy.stop()
    }

    /// kyle (reader) and admin (reader, admin) with fresh random passwords; existing users are left alone.
    private func seedUsers(path: String, scrypt: ScryptParameters) throws -> [(name: String, roles: [String], password: String?)] {
        do {
            let db = try Database(path: path)
            let store = UserStore(database: db, hasher: try PasswordHasher(parameters: scrypt))
            var seeded: [(name: String, roles: [String], password: String?)] = []
            for (name, roles) in [("kyle", ["reader"]), ("admin", ["reader", "admin"])] {
                if try store.find(username: name) != nil {
                    seeded.append((name, roles, nil))
                    continue
                }
                let password = Self.randomText(groups: 4)
                try store.add(username: name, password: password, roles: roles, now: Int64(Clock.wallSeconds()))
                seeded.append((name, roles, password))
            }
            return seeded
        } catch {
            printError("gateway demo: cannot seed the demo users in \(path): \(error)")
            throw ExitCode(1)
        }
    }

    private func instructions(
        base: String, target: SocketAddress, cfg: GatewayConfig, snapshot: Snapshot, users: [(name: String, roles: [String], password: String?)]
    ) -> String {
        var text = "\ngateway demo: the legacy API (no auth of its own) listens on \(target); the gateway on \(base).\n"
        guard let issuer = cfg.issuer, !users.isEmpty else {
            return text + "\nThe config has no \"issuer\" section, so there is no login; see README.md. Ctrl-C stops the demo.\n"
        }
        let login = issuer.endpoints.login
        let logout = issuer.endpoints.logout
        text += "\nOpen the demo page: \(base)/\n\nUsers (passwords are shown once):\n"
        for u in users {
            let shown = u.password ?? "(already in the database; change it with: gateway user passwd \(u.name))"
            text += "  \(u.name.padding(6))  \(u.roles.joined(separator: ",").padding(13))  \(shown)\n"
        }
        let kyle = users.first { $0.name == "kyle" }?.password ?? "KYLES_PASSWORD"
        text += """

            The whole flow with curl:
              curl -s -X POST -H 'Content-Type: application/json' -d '{"username":"kyle","password":"\(kyle)"}' \(base)\(login)
              TOKEN=$(curl -s -X POST -H 'Content-Type: application/json' -d '{"username":"kyle","password":"\(kyle)"}' \(base)\(login) | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
              curl -i \(base)/api/unsecure                                      # 200: public route
              curl -i \(base)/api/secure                                        # 401 missing_token
              curl -i -H "Authorization: Bearer $TOKEN" \(base)/api/secure      # 200: hello kyle
              curl -i -H "Authorization: Bearer $TOKEN" \(base)/api/admin/report  # 403 insufficient_role
              curl -i -X POST -H "Authorization: Bearer $TOKEN" \(base)\(logout)   # 200: signed out
              curl -i -H "Authorization: Bearer $TOKEN" \(base)/api/secure      # 401 token_revoked
              curl -s \(base)\(issuer.endpoints.jwks)                         # the issuer's public keys

            Access log lines follow on stderr. Ctrl-C stops the demo\(database == nil ? " and deletes its temporary database" : "").

            """
        return text
    }

    private func removeTemporary(_ dir: String) {
        for suffix in ["/gateway.db", "/gateway.db-wal", "/gateway.db-shm"] { unlink(dir + suffix) }
        rmdir(dir)
    }

    /// Groups of four lower-case letters and digits joined by "-", from 32 symbols: 4 groups are 80 bits.
    static func randomText(groups: Int) -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        var rng = SystemRandomNumberGenerator()
        return (0..<groups).map { _ in String((0..<4).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }) }
            .joined(separator: "-")
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
