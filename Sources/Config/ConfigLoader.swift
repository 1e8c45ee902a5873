import Foundation
import JSON

/// Reads `gateway.json` into a `GatewayConfig`, or every problem in it.
///
/// Three passes, all reporting into one list sorted in document order: strict JSON (duplicate keys
/// are errors, since two readers could disagree about which one wins), Codable decoding with
/// unknown-key checks, and cross-section validation.
public enum ConfigLoader {
    public static func load(path: String) -> Result<GatewayConfig, ConfigErrors> {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? error.localizedDescription
            return .failure(ConfigErrors(problems: [ConfigProblem(path: "$", message: "cannot read \(path): \(reason)")]))
        }
        return decode([UInt8](data), baseDirectory: url.standardizedFileURL.deletingLastPathComponent().path)
    }

    /// Relative paths resolve against `baseDirectory` (default: the current directory).
    public static func decode(_ bytes: [UInt8], baseDirectory: String? = nil) -> Result<GatewayConfig, ConfigErrors> {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            return .failure(
                ConfigErrors(problems: [
                    ConfigProblem(path: "$", message: "line \(error.line), column \(error.column): \(error.message)")
                ]))
        }
        let context = DecodingContext(baseDirectory: baseDirectory ?? FileManager.default.currentDirectoryPath)
        var userInfo: [CodingUserInfoKey: Any] = [:]
        if let key = DecodingContext.userInfoKey { userInfo[key] = context }
        let decoder = NodeDecoder(value: root, codingPath: [], userInfo: userInfo)
        var config: GatewayConfig?
        do {
            config = try GatewayConfig(from: decoder)
        } catch {
            context.record(error, at: [])
        }
        if let config { ConfigValidator.validate(config, report: context.report) }

        let order = DocumentOrder(root)
        let problems = context.problems.enumerated().sorted { a, b in
            let (pa, pb) = (order.position(of: a.element.path), order.position(of: b.element.path))
            return pa != pb ? pa < pb : a.offset < b.offset
        }.map(\.element)
        if let config, problems.isEmpty { return .success(config) }
        return .failure(ConfigErrors(problems: problems))
    }
}
