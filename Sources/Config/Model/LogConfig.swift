/// Where access lines go and how chatty the gateway is.
public struct LogConfig: Sendable, Equatable, Decodable {
    public var access: AccessLog = .stderr
    public var level: LogLevel = .info

    public init() {}

    public init(from decoder: any Decoder) throws {
        let r = try ObjectReader(decoder, known: ConfigKeys.log)
        access = r.decode("access", as: AccessLog.self) ?? access
        level = r.decode("level", as: LogLevel.self) ?? level
    }
}

/// "off", "stderr", "stdout", or a file path.
public enum AccessLog: Sendable, Equatable, Decodable {
    case off
    case stderr
    case stdout
    case file(ConfigFilePath)

    public init(from decoder: any Decoder) throws {
        let text = try decoder.string(expecting: "\"off\", \"stderr\", \"stdout\" or a file path")
        switch text {
        case "off": self = .off
        case "stderr": self = .stderr
        case "stdout": self = .stdout
        default: self = .file(try ConfigFilePath(from: decoder))
        }
    }
}

public enum LogLevel: String, Sendable, Equatable, CaseIterable, Decodable {
    case trace, debug, info, notice, warning, error, critical

    public init(from decoder: any Decoder) throws {
        self = try ConfigEnum.decode(decoder, what: "log level")
    }
}

/// Decodes a string enum, naming the accepted values and the likely intended one on a mismatch.
enum ConfigEnum {
    static func decode<E: RawRepresentable & CaseIterable>(_ decoder: any Decoder, what: String) throws -> E
    where E.RawValue == String {
        let names = E.allCases.map(\.rawValue)
        let text = try decoder.string(expecting: "a \(what) (\(names.joined(separator: ", ")))")
        if let value = E(rawValue: text) { return value }
        let guess = Suggestion.closest(to: text, in: names).map { "; did you mean \"\($0)\"?" } ?? ""
        throw decoder.invalid("unknown \(what) \"\(text)\"\(guess) (known: \(names.joined(separator: ", ")))")
    }
}
