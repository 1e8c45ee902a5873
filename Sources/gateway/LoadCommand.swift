import ArgumentParser
import Config
import EventLoop
import Glibc
import JSON
import LoadTest
import Proxy

/// `gateway load`: the load generator, on the gateway's own event loop and HTTP/1.1 parsers.
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Drive HTTP load at a URL (closed loop, or open loop at --rate) and check each token class's answer.",
        discussion: """
            Examples:
              gateway load http://127.0.0.1:8080/api/unsecure --connections 50 --duration 30s
              gateway load http://127.0.0.1:8080/api/secure --rate 20000 --tokens valid:90,expired:4,bad-signature:3,wrong-role:2,missing:1
            With --rate, latency counts from each request's intended send time (coordinated-omission corrected).
            Exits 1 when any response did not match its token class (valid → 2xx, expired/bad-signature/missing → 401,
            wrong-role → 403), or when no request completed.
            """)

    @OptionGroup var options: ConfigOptions

    @Argument(help: "http://HOST:PORT/PATH (HOST an IP address or localhost).")
    var url: String

    @Option(help: "Open connections, kept alive, one request in flight each.")
    var connections: Int = 50

    @Option(help: "How long to run: 30s, 500ms, 2m.")
    var duration: String = "10s"

    @Option(help: "Worker threads, each with its own event loop (default: available CPUs).")
    var threads: Int?

    @Option(help: "Open loop: total requests per second across threads.")
    var rate: Int?

    @Option(help: "Per-request timeout.")
    var timeout: String = "10s"

    @Option(help: "A file of request targets, one per line (# comments), sent round robin instead of the URL's path.")
    var paths: String?

    @Option(help: "Request method.")
    var method: String = "GET"

    @Option(help: "A file sent as the request body (with Content-Length).")
    var body: String?

    @Option(name: .customLong("header"), help: "An extra request header \"Name: value\" (repeatable).")
    var headers: [String] = []

    @Option(help: "Token mix, e.g. valid:90,expired:4,bad-signature:3,wrong-role:2,missing:1 (minted from the config's keys).")
    var tokens: String?

    @Option(help: "Issuer to mint with (default: the config's first issuer).")
    var issuer: String?

    @Option(help: "Subject of minted tokens.")
    var sub: String = "loadtest"

    @Option(help: "Comma-separated roles of valid (and expired, bad-signature) tokens: those the route requires.")
    var roles: String = ""

    @Option(help: "Comma-separated roles of wrong-role tokens: roles the route must refuse.")
    var wrongRoles: String = "loadtest-no-such-role"

    @Option(help: "Distinct valid tokens to mint (more than the verified-token cache holds forces cache misses).")
    var distinctTokens: Int = 4

    @Option(help: "Choose the signing key by kid when the issuer has several.")
    var kid: String?

    @Option(help: "A private key PEM file for an asymmetric issuer key.")
    var key: String?

    @Flag(name: .customLong("allow-429"), help: "Accept 429 for every class (the route is rate-limited).")
    var allow429 = false

    @Option(help: "Write the full report as JSON to this file.")
    var json: String?

    @Option(help: "Write a self-contained HTML report with a latency-percentile chart to this file.")
    var html: String?

    func validate() throws {
        if LoadPlan.parseDuration(duration) == nil { throw ValidationError("--duration must look like 30s, 500ms or 2m") }
        if LoadPlan.parseDuration(timeout) == nil { throw ValidationError("--timeout must look like 10s or 500ms") }
        if distinctTokens < 1 || distinctTokens > 1_000_000 { throw ValidationError("--distinct-tokens must be 1-1000000") }
        for h in headers where !h.contains(":") { throw ValidationError("--header must be \"Name: value\", got \"\(h)\"") }
    }

    func run() throws {
        let plan: LoadPlan
        do throws(LoadError) {
            plan = try makePlan()
        } catch {
            printError("gateway load: \(error.description)")
            throw ExitCode(1)
        }
        let tty = isatty(1) == 1
        let report: LoadReport
        do {
            report = try LoadRunner.run(plan) { p in
                if tty {
                    writeOut("\r\u{1B}[K" + p.line)
                } else {
                    printOut(p.line)
                }
            }
        } catch {
            printError("gateway load: \(error.description)")
            throw ExitCode(1)
        }
        if tty { writeOut("\n") }
        printOut(report.text)
        if let json { try write(JSONWriter.serialize(report.json()) + "\n", to: json) }
        if let html { try write(report.html(), to: html) }
        if report.counts.completed == 0 {
            printError("gateway load: no request completed")
            throw ExitCode(1)
        }
        if !report.passed { throw ExitCode(1) }
    }

    private func makePlan() throws(LoadError) -> LoadPlan {
        let target = try LoadTarget(url: url)
        let mix = try tokens.map { (spec) throws(LoadError) in try TokenMix(parsing: spec) } ?? .unchecked
        var pool = TokenPool.empty
        if tokens != nil { pool = try mintTokens(mix) }
        var pathList: [String] = []
        if let paths {
            guard let bytes = SnapshotBuilder.readFile(paths) else { throw LoadError("cannot read --paths file \(paths)") }
            pathList = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map { $0.trimmingCharacters() }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            guard !pathList.isEmpty else { throw LoadError("--paths file \(paths) has no paths") }
        }
        var bodyBytes: [UInt8]?
        if let body {
            guard let bytes = SnapshotBuilder.readFile(body) else { throw LoadError("cannot read --body file \(body) (at most 1 MiB)") }
            bodyBytes = bytes
        }
        let headerPairs = headers.map { h -> (String, String) in
            let colon = h.firstIndex(of: ":") ?? h.endIndex
            return (String(h[..<colon]), h[colon...].dropFirst().trimmingCharacters())
        }
        let catalog = try RequestCatalog(
            target: target, method: method, paths: pathList, headers: headerPairs, body: bodyBytes, mix: mix, tokens: pool)
        return try LoadPlan(
            target: target, catalog: catalog, connections: connections, threads: threads ?? CPU.available,
            duration: LoadPlan.parseDuration(duration) ?? .seconds(10), rate: rate,
            timeout: LoadPlan.parseDuration(timeout) ?? .seconds(10), allow429: allow429)
    }

    private func mintTokens(_ mix: TokenMix) throws(LoadError) -> TokenPool {
        let cfg: GatewayConfig
        switch ConfigLoader.load(path: options.config) {
        case .success(let c): cfg = c
        case .failure(let errors): throw LoadError("\(options.config): \(errors.problems.map { "\($0)" }.joined(separator: "; "))")
        }
        guard let issuerName = issuer ?? cfg.issuers.first?.name else {
            throw LoadError("--tokens needs an issuer, and \(options.config) has none")
        }
        let minter: TokenMinter
        do throws(TokenMinter.MintError) {
            minter = try TokenMinter(config: cfg, issuerName: issuerName, kid: kid, privateKeyFile: key)
        } catch {
            throw LoadError(error.description)
        }
        let list = { (s: String) in s.split(separator: ",").map { $0.trimmingCharacters() }.filter { !$0.isEmpty } }
        let settings = TokenSettings(
            subject: sub, roles: list(roles), wrongRoles: list(wrongRoles), distinctValid: distinctTokens)
        return try TokenPool.mint(for: mix, settings: settings, now: Int64(time(nil))) { (claims) throws(LoadError) in
            do throws(TokenMinter.MintError) {
                return try minter.mint(
                    subject: claims.subject, roles: claims.roles, ttlSeconds: claims.expiresAt - claims.issuedAt,
                    now: claims.issuedAt)
            } catch {
                throw LoadError(error.description)
            }
        }
    }

    private func write(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            printError("gateway load: cannot write \(path): \(String(cString: strerror(errno)))")
            throw ExitCode(1)
        }
        defer { close(fd) }
        var ok = true
        var copy = text
        copy.withUTF8 { p in
            var off = 0
            while off < p.count, let base = p.baseAddress {
                let n = Glibc.write(fd, base + off, p.count - off)
                if n <= 0 {
                    ok = false
                    return
                }
                off += n
            }
        }
        if !ok {
            printError("gateway load: cannot write \(path)")
            throw ExitCode(1)
        }
    }
}

/// Stdout without a newline, for the `\r`-updated progress line.
private func writeOut(_ s: String) {
    var copy = s
    copy.withUTF8 { p in _ = Glibc.write(1, p.baseAddress, p.count) }
}

extension Substring {
    fileprivate func trimmingCharacters() -> String {
        String(drop(while: { $0 == " " || $0 == "\r" }).reversed().drop(while: { $0 == " " || $0 == "\r" }).reversed())
    }
}
