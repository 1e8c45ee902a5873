import Glibc
import JSON
import Logging
import Synchronization

/// Lifecycle events (start, listeners, reloads, upstream targets ejected and restored, keys refreshed) as JSON
/// lines on stderr through swift-log. Rare by nature: never called per request.
public enum Lifecycle {
    static let logger: Logger = {
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label) }
        return Logger(label: "gateway")
    }()

    private static let on = Atomic<Bool>(false)

    /// Off in tests that start many gateways; on in `gateway run` and `gateway demo`.
    public static var enabled: Bool {
        get { on.load(ordering: .relaxed) }
        set { on.store(newValue, ordering: .relaxed) }
    }

    public static func log(_ event: String, _ fields: [String: String] = [:], level: Logger.Level = .info) {
        guard enabled else { return }
        var md: Logger.Metadata = [:]
        for (k, v) in fields { md[k] = .string(v) }
        logger.log(level: level, Logger.Message(stringLiteral: event), metadata: md)
    }
}

/// One JSON object per line: {"time","level","event",...metadata}.
struct JSONLogHandler: LogHandler {
    let label: String
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var obj = JSONObject()
        obj["time"] = .string(Timestamp.rfc3339())
        obj["level"] = .string(event.level.rawValue)
        obj["event"] = .string(event.message.description)
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for (k, v) in merged.sorted(by: { $0.key < $1.key }) { obj[k] = .string("\(v)") }
        var line = JSONWriter.serialize(.object(obj))
        line.append("\n")
        line.withUTF8 { p in _ = write(2, p.baseAddress, p.count) }
    }
}
