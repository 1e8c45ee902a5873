import ArgumentParser
import Config
import EventLoop
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
        var (_, snapshot) = try options.loadSnapshot()
        if let w = workers { snapshot = snapshot.with(workers: w) }
        let signals = Gateway.terminationSignals()
        let gateway = Gateway(snapshot: snapshot)
        do {
            try gateway.start(pinWorkersToCPUs: pin)
        } catch {
            Lifecycle.log("start_failed", ["error": "\(error)"])
            throw ExitCode(1)
        }
        Lifecycle.log("started", [
            "listen": gateway.boundAddresses.map(\.description).joined(separator: ","),
            "workers": "\(snapshot.workers)", "routes": "\(snapshot.routes.routes.count)", "version": GatewayVersion.string,
        ])
        gateway.runUntilSignal(signalFD: signals)
        Lifecycle.log("stopped", ["requests": "\(gateway.requestsServed)"])
    }
}
