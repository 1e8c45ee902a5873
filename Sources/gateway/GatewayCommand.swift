import ArgumentParser

@main
struct GatewayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "A reverse-proxy authentication gateway: JWT route policies and rate limits in front of legacy HTTP APIs.",
        discussion: """
            Every subcommand reads gateway.json (or --config FILE). Start with `gateway demo`, then `gateway check`
            to validate your own config and `gateway run` to serve it.
            """,
        version: GatewayVersion.string,
        subcommands: [RunCommand.self, ReloadCommand.self, CheckCommand.self, DemoCommand.self, ExplainCommand.self, TokenCommand.self, SchemaCommand.self, LoadCommand.self, BenchCommand.self,
            UserCommand.self, RevokeCommand.self]
    )
}

enum GatewayVersion {
    static let string = "0.1.0"
}
