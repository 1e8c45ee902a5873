import ArgumentParser
import Proxy

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Run the gateway's whole decision for one request offline, check by check.",
        discussion: """
            Example: gateway explain GET /api/admin/report --token "$TOKEN"
            Shows the normalised path, the route matched (or why none), the rate limiter, the policy, each token
            and role check with its result, and the final status.
            """)

    @OptionGroup var options: ConfigOptions

    @Argument(help: "The request method, e.g. GET.")
    var method: String

    @Argument(help: "The request target: path and optional query, e.g. /api/secure?x=1.")
    var target: String

    @Option(help: "A bearer token to verify against the route's policy.")
    var token: String?

    @Option(help: "The Host header, for routes restricted to a host.")
    var host: String?

    func run() throws {
        let (_, snapshot) = try options.loadSnapshot()
        let report = Explainer(snapshot: snapshot).explain(method: method, target: target, host: host, token: token)
        print("\(method) \(target)")
        for l in report.lines { print("  \(l)") }
        print("→ \(report.status)\(report.error.map { " \($0)" } ?? "")")
    }
}
