import ArgumentParser
import Config
import Glibc
import Store

/// The flags of the commands that write the store database (`user`, `revoke`): `--database`, else the config's
/// `store.path`.
struct StoreOptions: ParsableArguments {
    @OptionGroup var configOptions: ConfigOptions

    @Option(help: "The store database file (default: \"store.path\" of the config).")
    var database: String?

    /// Where the database is, and the config when one was read. With `--database` the config is still read when its
    /// file exists, for the issuer's settings (scrypt cost, refresh TTL); an unreadable or invalid one is an error
    /// rather than silently ignored, since it would change the cost new password hashes get.
    func locate(command: String) throws -> StoreLocation {
        if let database {
            guard !database.isEmpty else { throw usageError(command, "--database must not be empty") }
            let config = access(configOptions.config, F_OK) == 0 ? try configOptions.loadConfig() : nil
            return StoreLocation(path: database, config: config)
        }
        guard access(configOptions.config, F_OK) == 0 else {
            throw usageError(command, "no database: \(configOptions.config) not found; pass --database PATH or --config FILE")
        }
        let config = try configOptions.loadConfig()
        guard let path = config.storePath else {
            throw usageError(
                command,
                "\(configOptions.config) has no \"store\" section: add one ({\"store\": {\"path\": \"gateway.db\"}}) or pass --database PATH")
        }
        return StoreLocation(path: path, config: config)
    }
}

/// The resolved database path and the config it came with.
struct StoreLocation {
    var path: String
    var config: GatewayConfig?

    /// Opens the database, creating the file (and the schema) when `create` is true; the read-only commands refuse a
    /// missing file, since creating one there would hide a mistyped path behind an empty listing.
    func open(create: Bool, command: String) throws -> Database {
        if !create, access(path, F_OK) != 0 {
            printError("\(command): no database at \(path) (user add, revoke or a gateway with an issuer creates it)")
            throw ExitCode(1)
        }
        return try storeCall(command) { () throws(StoreError) in try Database(path: path) }
    }

    /// The scrypt cost for new password hashes: the issuer's `password_hash`, else the store's default.
    var scryptParameters: ScryptParameters {
        config?.scryptParameters ?? .default
    }
}

/// Runs a store operation; a failure is printed as `command: reason` and exits 1.
func storeCall<T>(_ command: String, _ body: () throws(StoreError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        printError("\(command): \(error)")
        throw ExitCode(1)
    }
}

/// A usage mistake found while running (after ArgumentParser's own checks): printed as `command: reason`, exiting
/// with ArgumentParser's usage status as its `ValidationError`s do.
func usageError(_ command: String, _ message: String) -> ExitCode {
    printError("\(command): \(message)")
    return .validationFailure
}

/// The config settings the store commands use.
extension GatewayConfig {
    var storePath: String? { store?.path.resolved }

    var scryptParameters: ScryptParameters? {
        issuer.map { ScryptParameters(logN: $0.passwordHash.ln, r: $0.passwordHash.r, p: $0.passwordHash.p) }
    }

    /// Seconds a refresh token of the built-in issuer lives, when the config has one.
    var issuerRefreshSeconds: Int64? { issuer.map { $0.refreshTTL.components.seconds } }

    /// How often a running gateway polls for revocation changes.
    var revocationPollInterval: Duration? { store?.pollInterval }
}
