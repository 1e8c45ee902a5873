import ArgumentParser
import Proxy

struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Sign a token with an issuer's configured key (HMAC secret from its environment variable, or a private key).",
        discussion: "Example: gateway token --issuer demo --sub kyle --roles reader,editor --ttl 1h")

    @OptionGroup var options: ConfigOptions

    @Option(help: "The issuer profile (a key of \"issuers\" in the config).")
    var issuer: String

    @Option(help: "The token's subject (sub).")
    var sub: String

    @Option(help: "Comma-separated roles, placed at the issuer's roles claim.")
    var roles: String = ""

    @Option(help: "Comma-separated scopes, placed space-separated at the issuer's scopes claim.")
    var scopes: String = ""

    @Option(parsing: .unconditional, help: "Lifetime, e.g. 15m, 1h, 30s; negative values (e.g. -1h) make an already expired token.")
    var ttl: String = "1h"

    @Option(help: "Choose the key by kid when the issuer has several.")
    var kid: String?

    @Option(help: "A private key PEM file for an asymmetric key (overrides the config's private_key).")
    var key: String?

    func validate() throws {
        if parseTTL(ttl) == nil { throw ValidationError("--ttl must look like 30s, 15m, 1h or 7d") }
    }

    func run() throws {
        let cfg = try options.loadConfig()
        do {
            let minter = try TokenMinter(config: cfg, issuerName: issuer, kid: kid, privateKeyFile: key)
            let list = { (s: String) in s.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty } }
            print(try minter.mint(subject: sub, roles: list(roles), ttlSeconds: parseTTL(ttl) ?? 3600, scopes: list(scopes)))
        } catch {
            printError("gateway token: \(error.description)")
            throw ExitCode(1)
        }
    }
}

func parseTTL(_ s: String) -> Int64? {
    var text = Substring(s)
    var sign: Int64 = 1
    if text.hasPrefix("-") {
        sign = -1
        text = text.dropFirst()
    }
    guard let unit = text.last, let n = Int64(text.dropLast()) else { return Int64(text).map { $0 * sign } }
    switch unit {
    case "s": return sign * n
    case "m": return sign * n * 60
    case "h": return sign * n * 3600
    case "d": return sign * n * 86400
    default: return nil
    }
}

extension String {
    func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
