import ArgumentParser
import Config
import Proxy

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the config: print every problem with its JSON path (exit 1) or a one-screen summary (exit 0).")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let (cfg, _) = try options.loadSnapshot()
        let text = summary(cfg)
        print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
    }
}

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of gateway.json (for editors: reference it with \"$schema\").")

    func run() throws {
        print(ConfigSchema.json)
    }
}
