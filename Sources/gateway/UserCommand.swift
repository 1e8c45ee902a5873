import ArgumentParser
import Glibc
import JSON
import Store

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage the built-in issuer's users in the store database.",
        discussion: """
            The database is --database PATH, else "store.path" of the config. Passwords (at least 12 characters) are \
            read from the first line of stdin with --password-stdin or when stdin is not a terminal, else typed twice \
            without echo; they are never taken from the command line. New hashes use the scrypt cost of the \
            config's issuer.password_hash.

            Examples:
              gateway user add kyle --roles reader
              echo "$PASSWORD" | gateway user add admin --roles reader,admin
              gateway user list --json
            """,
        subcommands: [
            UserAddCommand.self, UserPasswdCommand.self, UserDisableCommand.self, UserEnableCommand.self, UserListCommand.self,
        ])
}

struct UserAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Create a user with a password and roles.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The username (the tokens' sub): 1 to 64 letters, digits and ._@+-")
    var name: String

    @Option(help: "Comma-separated roles, e.g. reader,admin (letters, digits and ._:-).")
    var roles: String = ""

    @Flag(help: "Read the password from the first line of stdin (implied when stdin is not a terminal).")
    var passwordStdin = false

    func run() throws {
        let command = "gateway user add"
        let location = try store.locate(command: command)
        let users = try UserStore(database: location.open(create: true, command: command), hasher: nonHashing(command))
        // Checked before the password is asked for, so nobody types one for a name that is taken.
        if try storeCall(command, { () throws(StoreError) in try users.find(username: name) }) != nil {
            printError("\(command): \(StoreError.userExists(name))")
            throw ExitCode(1)
        }
        let password = try PasswordInput.read(fromStdin: passwordStdin, command: command)
        let hasher = try storeCall(command) { () throws(StoreError) in try PasswordHasher(parameters: location.scryptParameters) }
        let roleList = roles.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        let user = try storeCall(command) { () throws(StoreError) in
            try UserStore(database: users.database, hasher: hasher).add(
                username: name, password: password, roles: uniqued(roleList), now: Int64(time(nil)))
        }
        let roleText = user.roles.isEmpty ? "no roles" : "roles \(user.roles.joined(separator: ","))"
        printError("\(command): created user \(name) with \(roleText) in \(location.path)")
    }

    private func uniqued(_ list: [String]) -> [String] {
        var seen = Set<String>()
        return list.filter { seen.insert($0).inserted }
    }
}

struct UserPasswdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd", abstract: "Set a user's password; ends their refresh-token sessions.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The username.")
    var name: String

    @Flag(help: "Read the password from the first line of stdin (implied when stdin is not a terminal).")
    var passwordStdin = false

    func run() throws {
        let command = "gateway user passwd"
        let location = try store.locate(command: command)
        let database = try location.open(create: false, command: command)
        try requireUser(name, in: UserStore(database: database, hasher: nonHashing(command)), command: command)
        let password = try PasswordInput.read(fromStdin: passwordStdin, command: command)
        try storeCall(command) { () throws(StoreError) in
            try UserStore(database: database, hasher: try PasswordHasher(parameters: location.scryptParameters))
                .setPassword(username: name, password: password, now: Int64(time(nil)))
        }
        printError(
            "\(command): password of \(name) changed and their refresh tokens revoked; access tokens already issued stay"
                + " valid until they expire (gateway revoke --sub \(name) refuses them now)")
    }
}

struct UserDisableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable", abstract: "Disable a user: no login, no refresh; their refresh tokens are revoked.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The username.")
    var name: String

    func run() throws {
        let command = "gateway user disable"
        let location = try store.locate(command: command)
        let users = try UserStore(database: location.open(create: false, command: command), hasher: nonHashing(command))
        try storeCall(command) { () throws(StoreError) in try users.disable(username: name, now: Int64(time(nil))) }
        printError(
            "\(command): \(name) disabled and their refresh tokens revoked; access tokens already issued stay valid until"
                + " they expire (gateway revoke --sub \(name) refuses them now)")
    }
}

struct UserEnableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enable", abstract: "Enable a disabled user again (they sign in anew: old refresh tokens stay revoked).")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The username.")
    var name: String

    func run() throws {
        let command = "gateway user enable"
        let location = try store.locate(command: command)
        let users = try UserStore(database: location.open(create: false, command: command), hasher: nonHashing(command))
        try storeCall(command) { () throws(StoreError) in try users.enable(username: name) }
        printError("\(command): \(name) enabled")
    }
}

struct UserListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the users: name, roles, status and creation time (UTC).")

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print a JSON array of {username, roles, disabled, created_at} instead of a table.")
    var json = false

    func run() throws {
        let command = "gateway user list"
        let location = try store.locate(command: command)
        let users = try UserStore(database: location.open(create: false, command: command), hasher: nonHashing(command))
        let all = try storeCall(command) { () throws(StoreError) in try users.list() }
        if json {
            printOut(JSONWriter.serialize(.array(all.map(Self.jsonValue))))
            return
        }
        printTable(
            header: ["USERNAME", "ROLES", "STATUS", "CREATED"],
            rows: all.map { user in
                [
                    user.username, user.roles.isEmpty ? "-" : user.roles.joined(separator: ","),
                    user.disabled ? "disabled" : "enabled", TimeArgument.format(user.createdAt),
                ]
            })
    }

    /// Never the password hash: listings end up in terminals, tickets and logs.
    private static func jsonValue(_ user: User) -> JSONValue {
        var object = JSONObject()
        object["username"] = .string(user.username)
        object["roles"] = .array(user.roles.map { .string($0) })
        object["disabled"] = .bool(user.disabled)
        object["created_at"] = .string(TimeArgument.format(user.createdAt))
        return .object(object)
    }
}

/// A hasher for the commands that never hash (disable, enable, list, the existence checks): `UserStore` needs one,
/// and the cheapest cost keeps its unused dummy hash from costing the command a tenth of a second.
private func nonHashing(_ command: String) throws -> PasswordHasher {
    try storeCall(command) { () throws(StoreError) in try PasswordHasher(parameters: ScryptParameters(logN: 1, r: 1, p: 1)) }
}

private func requireUser(_ name: String, in users: UserStore, command: String) throws {
    guard try storeCall(command, { () throws(StoreError) in try users.find(username: name) }) != nil else {
        printError("\(command): \(StoreError.unknownUser(name))")
        throw ExitCode(1)
    }
}
