import Glibc
import JSON
import Logging

/// One JSON line per request, through swift-log: the worker formats the line, logs it on its own `Logger`,
/// whose `AccessLogHandler` appends it to a per-worker buffer that is written once per loop iteration (one
/// write for a whole batch of requests), so logging costs no lock and no syscall per request.
/// Lines never contain the Authorization header, cookies, the query string or a token: only the
/// normalised path.
final class AccessLogWriter {
    let enabled: Bool
    private let fd: Int32
    private let ownsFD: Bool
    private var buffer: [UInt8] = []
    private var line: [UInt8] = []
    private var logger: Logger? = nil

    init(_ destination: LogSettings.Destination) {
        switch destination {
        case .off:
            enabled = false
            fd = -1
            ownsFD = false
        case .stderr:
            enabled = true
            fd = 2
            ownsFD = false
        case .stdout:
            enabled = true
            fd = 1
            ownsFD = false
        case .file(let path):
            let f = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
            enabled = f >= 0
            fd = f
            ownsFD = f >= 0
        }
        buffer.reserveCapacity(enabled ? 64 << 10 : 0)
        line.reserveCapacity(enabled ? 512 : 0)
        if enabled {
            let handler = AccessLogHandler(writer: self)
            logger = Logger(label: "gateway.access") { _ in handler }
        }
    }

    deinit {
        flush()
        if ownsFD { close(fd) }
    }

    func record(
        requestID: [UInt8], client: [UInt8], method: [UInt8], path: [UInt8], route: String?, upstream: String?,
        status: Int, bytes: Int, durationNanos: UInt64, subject: String?
    ) {
        line.append(contentsOf: #"{"time":""#.utf8)
        appendTimestamp()
        line.append(contentsOf: #"","request_id":"#.utf8)
        JSONWriter.appendString(String(decoding: requestID, as: UTF8.self), to: &line)
        line.append(contentsOf: #","client_ip":"#.utf8)
        JSONWriter.appendString(String(decoding: client, as: UTF8.self), to: &line)
        line.append(contentsOf: #","method":"#.utf8)
        JSONWriter.appendString(String(decoding: method, as: UTF8.self), to: &line)
        line.append(contentsOf: #","path":"#.utf8)
        JSONWriter.appendString(String(decoding: path, as: UTF8.self), to: &line)
        line.append(contentsOf: #","route":"#.utf8)
        if let route { JSONWriter.appendString(route, to: &line) } else { line.append(contentsOf: "null".utf8) }
        line.append(contentsOf: #","upstream":"#.utf8)
        if let upstream { JSONWriter.appendString(upstream, to: &line) } else { line.append(contentsOf: "null".utf8) }
        line.append(contentsOf: #","status":"#.utf8)
        line.append(contentsOf: String(status).utf8)
        line.append(contentsOf: #","bytes":"#.utf8)
        line.append(contentsOf: String(bytes).utf8)
        line.append(contentsOf: #","duration_ms":"#.utf8)
        let micros = durationNanos / 1000
        line.append(contentsOf: String(micros / 1000).utf8)
        line.append(UInt8(ascii: "."))
        let frac = micros % 1000
        if frac < 100 { line.append(UInt8(ascii: "0")) }
        if frac < 10 { line.append(UInt8(ascii: "0")) }
        line.append(contentsOf: String(frac).utf8)
        if let subject {
            line.append(contentsOf: #","sub":"#.utf8)
            JSONWriter.appendString(subject, to: &line)
        }
        line.append(UInt8(ascii: "}"))
        logger?.info(Logger.Message(stringLiteral: String(decoding: line, as: UTF8.self)))
        line.removeAll(keepingCapacity: true)
    }

    /// Called by the handler on the worker's thread.
    fileprivate func append(_ message: String) {
        var m = message
        m.withUTF8 { buffer.append(contentsOf: $0) }
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count > 60 << 10 { flush() }
    }

    func flush() {
        guard enabled, !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { b in
            var off = 0
            while off < b.count {
                guard let base = b.baseAddress else { return }
                let n = write(fd, base + off, b.count - off)
                if n <= 0 { break }
                off += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func appendTimestamp() {
        Timestamp.appendRFC3339(to: &line)
    }
}

/// swift-log handler for access lines: appends each message to its worker's buffer. It is reached only
/// from that worker's thread (each worker has its own Logger), which is why the unchecked Sendable is sound.
struct AccessLogHandler: LogHandler, @unchecked Sendable {
    unowned(unsafe) let writer: AccessLogWriter
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        writer.append(event.message.description)
    }
}
