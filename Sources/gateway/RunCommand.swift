import ArgumentParser
import Config
import EventLoop
import Glibc
import Proxy

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Serve the gateway on the config's listeners until SIGINT or SIGTERM (then drain and exit 0).",
        discussion: "Refuses to start on a config that `gateway check` would reject, with the same messages.")

    @OptionGroup var options: ConfigOptions

    @Option(help: "Override the config's worker count.")
    var workers: Int?

    @Flag(help: "Pin worker N to CPU N (benchmarks).")
    var pin = false

    func validate() throws {
        if let w = workers, w < 1 || w > 256 { throw ValidationError("--workers must be between 1 and 256") }
    }

    func run() throws {
        Lifecycle.enabled = true
        var (cfg, snapshot) = try options.loadSnapshot()
        if let w = workers { snapshot = snapshot.with(workers: w) }
        let signals = Gateway.terminationSignals()
        let gateway = Gateway(snapshot: snapshot)
        do {
            try gateway.start(pinWorkersToCPUs: pin)
        } catch {
            Lifecycle.log("start_failed", ["error": "\(error)"], level: .error)
            throw ExitCode(1)
        }
        for (address, bound) in zip(snapshot.listen, gateway.boundAddresses) {
            Lifecycle.log("listener_bound", ["address": address.description, "bound": bound.description])
        }
        let pidFile = cfg.pidFile?.resolved
        if let pidFile { PidFile.write(pidFile) }
        Lifecycle.log("started", [
            "config": options.config, "listen": gateway.boundAddresses.map(\.description).joined(separator: ","),
            "workers": "\(snapshot.workers)", "routes": "\(snapshot.routes.routes.count)",
            "version": GatewayVersion.string, "pid": "\(getpid())",
        ])
        let reloader = ConfigReloader(path: options.config, gateway: gateway)
        var admin: AdminServer? = nil
        if let a = cfg.admin {
            guard let address = SocketAddress(host: a.listen.host == "localhost" ? "127.0.0.1" : a.listen.host, port: a.listen.port) else {
                Lifecycle.log("start_failed", ["error": "admin.listen \(a.listen.text) is not an IP address and port"], level: .error)
                throw ExitCode(1)
            }
            let server = AdminServer(
                address: address, metrics: gateway.metrics,
                handlers: AdminHandlers(
                    version: GatewayVersion.string,
                    issuersWithoutKeys: { gateway.snapshot.issuers.profiles.filter { !($0.keySet?.hasKeys ?? true) }.map(\.name) },
                    reload: {
                        let report = reloader.reload()
                        return (report.ok, ([report.message] + report.problems).joined(separator: "; "))
                    }))
            do {
                try server.start()
            } catch {
                Lifecycle.log("start_failed", ["error": "admin listener \(a.listen.text): \(error)"], level: .error)
                throw ExitCode(1)
            }
            Lifecycle.log("admin_listening", ["address": server.boundAddress?.description ?? a.listen.text])
            admin = server
        }
        gateway.runUntilSignal(signalFD: signals, onReload: { reloader.reload() })
        admin?.stop()
        if let pidFile { PidFile.remove(pidFile) }
        Lifecycle.log("stopped", ["requests": "\(gateway.requestsServed)"])
    }
}
