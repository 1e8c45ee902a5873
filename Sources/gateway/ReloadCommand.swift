import ArgumentParser
import Config
import Glibc
import Proxy

/// `gateway reload`: asks the running gateway to re-read its config, by SIGHUP to the pid in its pid file.
/// The gateway validates the new config as `gateway check` does and keeps the old one on any problem, so
/// this command first checks the file itself and prints the problems rather than letting them only reach
/// the gateway's log.
struct ReloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Make the running gateway re-read its config (SIGHUP to the pid in pid_file), after checking it.",
        discussion: """
            The running gateway re-reads the config file it was started with, validates it and everything it
            references (keys, JWKS files, certificates) and swaps to it without dropping a connection; on any
            problem it keeps the running config and logs the problems with their JSON paths.
            """)

    @OptionGroup var options: ConfigOptions

    @Option(help: "The pid file of the running gateway (default: the config's pid_file).")
    var pidFile: String?

    func run() throws {
        let cfg = try options.loadConfig()
        // The same validation the gateway will run: a refused config is reported here, where the operator is.
        _ = try options.loadSnapshot()
        guard let path = pidFile ?? cfg.pidFile?.resolved else {
            printError("gateway reload: no pid file: set \"pid_file\" in \(options.config) or pass --pid-file")
            throw ExitCode(2)
        }
        guard let text = PidFile.read(path), let pid = text.split(whereSeparator: { $0 == "\n" || $0 == " " }).first.flatMap({ Int32($0) }),
            pid > 1
        else {
            printError("gateway reload: cannot read a pid from \(path); is the gateway running?")
            throw ExitCode(1)
        }
        guard kill(pid, SIGHUP) == 0 else {
            printError("gateway reload: cannot signal pid \(pid): \(String(cString: strerror(errno)))")
            throw ExitCode(1)
        }
        printOut("gateway reload: sent SIGHUP to pid \(pid); the result is in the gateway's log (reload_ok or reload_failed)")
    }
}

/// Writes and removes the pid file of `gateway run`.
enum PidFile {
    static func write(_ path: String) {
        let text = "\(getpid())\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            printError("gateway: cannot write pid file \(path): \(String(cString: strerror(errno)))")
            return
        }
        _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
        close(fd)
    }

    static func remove(_ path: String) {
        unlink(path)
    }

    static func read(_ path: String) -> String? {
        SnapshotBuilder.readFile(path).map { String(decoding: $0, as: UTF8.self) }
    }
}
