/// A file named in the config, resolved against the config file's directory.
public struct ConfigFilePath: Sendable, Equatable, Decodable, CustomStringConvertible {
    /// As written in the config.
    public var original: String
    /// Absolute and normalised.
    public var resolved: String
    public var description: String { original }

    public init(from decoder: any Decoder) throws {
        let context = try DecodingContext.from(decoder)
        let text = try decoder.string(expecting: "a file path")
        guard !text.isEmpty, !text.utf8.contains(0) else { throw decoder.invalid("file path must not be empty") }
        original = text
        resolved = context.resolve(text)
    }

    init(original: String, resolved: String) {
        self.original = original
        self.resolved = resolved
    }
}
