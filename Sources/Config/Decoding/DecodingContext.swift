import Foundation

/// Shared state of one decode: the problem sink and the values later sections default from.
///
/// Types record problems here and continue with defaults instead of throwing, so one run reports
/// every mistake in the file rather than the first.
final class DecodingContext {
    static let userInfoKey = CodingUserInfoKey(rawValue: "gateway.config.context")

    let baseDirectory: String
    private(set) var problems: [ConfigProblem] = []
    var limits = LimitsConfig()
    var timeouts = TimeoutsConfig()
    /// Preflight methods of a `cors` object that lists none: its route's methods, or the issuer's.
    var corsDefaultMethods = CORSConfig.defaultMethods

    init(baseDirectory: String) { self.baseDirectory = baseDirectory }

    func report(_ path: String, _ message: String) {
        problems.append(ConfigProblem(path: path, message: message))
    }

    func report(_ codingPath: [any CodingKey], _ message: String) {
        report(ConfigPath.render(codingPath), message)
    }

    /// Turns an error thrown by a nested decode into a problem at the path where it happened.
    func record(_ error: any Error, at codingPath: [any CodingKey]) {
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.dataCorrupted(let context),
            DecodingError.valueNotFound(_, let context):
            report(context.codingPath, context.debugDescription)
        case DecodingError.keyNotFound(let key, let context):
            report(context.codingPath + [key], "missing required key")
        default:
            report(codingPath, "\(error)")
        }
    }

    /// Resolves a file path from the config against the config file's directory.
    func resolve(_ original: String) -> String {
        if original.hasPrefix("/") { return URL(fileURLWithPath: original).standardizedFileURL.path }
        let base = URL(fileURLWithPath: baseDirectory, isDirectory: true)
        return URL(fileURLWithPath: original, relativeTo: base).standardizedFileURL.path
    }

    static func from(_ decoder: any Decoder) throws -> DecodingContext {
        guard let key = userInfoKey, let context = decoder.userInfo[key] as? DecodingContext else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "config types decode only through ConfigLoader"))
        }
        return context
    }
}
