import ArgumentParser
import Config
import EventLoop
import Glibc
import LegacyAPI
import Proxy

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start the example legacy API and the gateway in front of it (one process), and print curl commands to try.",
        discussion: """
            Uses gateway.json: the legacy API listens on the first target of the upstream "legacy", the gateway on
            "listen". If GATEWAY_DEMO_SECRET is unset, a random secret is made for this run.
            """)

    @OptionGroup var options: ConfigOptions

    func run() throws {
        if getenv("GATEWAY_DEMO_SECRET") == nil {
            var secret = ""
            for _ in 0..<4 { secret += String(UInt64.random(in: .min ... .max), radix: 36) }
            setenv("GATEWAY_DEMO_SECRET", secret, 1)
        }
        let (cfg, snapshot) = try options.loadSnapshot()
        guard let upstream = snapshot.upstreams.first(where: { $0.name == "legacy" }) ?? snapshot.upstreams.first,
            let target = upstream.targets.first
        else {
            printError("gateway demo: the config has no upstream to start the legacy API on")
            throw ExitCode(1)
        }
        let signals = Gateway.terminationSignals()
        let legacy = LegacyAPIServer(listen: target, threads: 1)
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
        var reader = "<no issuer configured>"
        var admin = reader
        if let issuer = cfg.issuers.first {
            do {
                let minter = try TokenMinter(config: cfg, issuerName: issuer.name)
                reader = try minter.mint(subject: "kyle", roles: ["reader"], ttlSeconds: 3600)
                admin = try minter.mint(subject: "admin", roles: ["reader", "admin"], ttlSeconds: 3600)
            } catch {
                printError("gateway demo: cannot mint demo tokens: \(error.description)")
            }
        }
        printOut("""

            gateway demo: the legacy API (no auth of its own) listens on \(target); the gateway on \(base).
            Two tokens, valid for one hour:
              READER=\(reader)
              ADMIN=\(admin)

            Try (paste the two lines above into your shell first):
              curl -i \(base)/api/unsecure                                      # 200: public route
              curl -i \(base)/api/secure                                        # 401 missing_token
              curl -i -H "Authorization: Bearer $READER" \(base)/api/secure     # 200: hello kyle
              curl -i -H "Authorization: Bearer $READER" \(base)/api/admin/report  # 403 insufficient_role
              curl -i -H "Authorization: Bearer $ADMIN" \(base)/api/admin/report   # 200: the report
              curl -i -H "Authorization: Bearer x.y.z" \(base)/api/secure       # 401 invalid_token
              curl -i -X POST -H "Authorization: Bearer $READER" -d '{"hi":1}' \(base)/api/echo  # 200: echoes what the API received
              gateway explain GET /api/admin/report --token "$READER"           # the decision, check by check

            Access log lines follow on stderr. Ctrl-C stops the demo.

            """)
        gateway.runUntilSignal(signalFD: signals)
        legacy.stop()
    }
}
