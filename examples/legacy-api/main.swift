import EventLoop
import Glibc
import LegacyAPI

// legacy-api [--listen 127.0.0.1:9000] [--threads N] [--static DIR]: the example backend the demo puts behind the
// gateway. Without --static it serves the demo page from examples/web when it can find it.

/// Unbuffered, so a script waiting for the "listening" line sees it at once even when stdout is a pipe.
func say(_ message: String, fd: Int32 = 1) {
    var line = "legacy-api: " + message + "\n"
    line.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) }
}

func printError(_ message: String) { say(message, fd: 2) }

func usage(_ problem: String) -> Never {
    printError(problem + "\nusage: legacy-api [--listen HOST:PORT] [--threads N] [--static DIR]")
    exit(2)
}

var listenText = "127.0.0.1:9000"
var threads = 1
var staticDirectory: String? = nil
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    switch flag {
    case "--listen":
        guard let value = arguments.popFirst() else { usage("--listen needs HOST:PORT") }
        listenText = value
    case "--threads":
        guard let value = arguments.popFirst(), let n = Int(value), n >= 1, n <= 256 else { usage("--threads needs 1...256") }
        threads = n
    case "--static":
        guard let value = arguments.popFirst(), !value.isEmpty else { usage("--static needs a directory") }
        staticDirectory = value
    case "-h", "--help":
        say("usage: legacy-api [--listen HOST:PORT] [--threads N] [--static DIR]")
        exit(0)
    default:
        usage("unknown argument \(flag)")
    }
}
guard let address = SocketAddress(parsing: listenText) else { usage("cannot parse address \(listenText)") }
if let staticDirectory, access(staticDirectory + "/index.html", R_OK) != 0 {
    usage("--static \(staticDirectory): no readable index.html there")
}
let pageDirectory = staticDirectory ?? LegacyAPIServer.defaultStaticDirectory()

// Block the termination signals before any worker exists so that every thread inherits the mask and only
// sigwait below receives them.
var signals = sigset_t()
sigemptyset(&signals)
sigaddset(&signals, SIGINT)
sigaddset(&signals, SIGTERM)
pthread_sigmask(SIG_BLOCK, &signals, nil)
signal(SIGPIPE, SIG_IGN)

let server = LegacyAPIServer(listen: address, threads: threads, staticDirectory: pageDirectory)
do {
    let port = try server.start()
    say("listening on \(SocketAddress(host: address.host, port: port)?.description ?? listenText) with \(threads) thread(s)")
    say(pageDirectory.map { "serving the demo page from \($0)" } ?? "no demo page directory found (use --static DIR)")
} catch {
    printError("\(error)")
    exit(1)
}
var received: Int32 = 0
sigwait(&signals, &received)
say("stopping")
server.stop()
