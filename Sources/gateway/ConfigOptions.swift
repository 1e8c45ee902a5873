import Glibc
import ArgumentParser
import Config
import Proxy

/// The `--config` flag every subcommand shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "The gateway config file.")
    var config: String = "gateway.json"

    /// Loads, validates and builds the config; prints every problem with its JSON path on failure.
    func loadSnapshot() throws -> (GatewayConfig, Snapshot) {
        let cfg = try loadConfig()
        switch SnapshotBuilder.build(cfg) {
        case .success(let snap): return (cfg, snap)
        case .failure(let errors):
            printProblems(errors)
            throw ExitCode(1)
        }
    }

    func loadConfig() throws -> GatewayConfig {
        switch ConfigLoader.load(path: config) {
        case .success(let cfg): return cfg
        case .failure(let errors):
            printProblems(errors)
            throw ExitCode(1)
        }
    }

    func printProblems(_ errors: ConfigErrors) {
        let n = errors.problems.count
        printError("\(config): \(n) problem\(n == 1 ? "" : "s")")
        for p in errors.problems { printError("  \(p)") }
    }
}

func printError(_ s: String) { writeLine(s, fd: 2) }

/// Unbuffered stdout, so the demo's instructions appear before the access log lines.
func printOut(_ s: String) { writeLine(s, fd: 1) }

private func writeLine(_ s: String, fd: Int32) {
    var line = s
    line.append("\n")
    line.withUTF8 { p in
        guard let base = p.baseAddress else { return }
        var off = 0
        while off < p.count {
            let n = write(fd, base + off, p.count - off)
            if n <= 0 { break }
            off += n
        }
    }
}
