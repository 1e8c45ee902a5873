import Foundation
import Testing

/// The real `gateway run` process: SIGTERM drains (the in-flight request completes) and exits 0.
@Suite(.serialized) struct SignalTests {
    /// The `gateway` executable built beside this test bundle.
    static var gatewayBinary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gateway")
    }

    @Test func sigtermLetsTheInFlightRequestFinishAndExitsZero() throws {
        let binary = Self.gatewayBinary
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the gateway product first")
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        upstream.handle("/slow", .delay(seconds: 0.5, then: .respond(status: 200, headers: [], body: Array("done".utf8), framing: .contentLength)))

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-signal-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("gateway.json")
        try GatewayHarness.config(routes: #"[{"prefix": "/", "upstream": "backend", "auth": "public"}]"#)
            .replacingOccurrences(of: "{{UPSTREAM}}", with: "127.0.0.1:\(upstream.port)")
            .write(to: config, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = binary
        process.arguments = ["run", "--config", config.path]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        // The "started" lifecycle line names the bound address.
        let lines = LineReader(stderr.fileHandleForReading)
        let started = try #require(lines.next(within: 10) { $0.contains(#""event":"started""#) })
        let listen = try #require(started.range(of: #""listen":"127.0.0.1:"#))
        let port = try #require(UInt16(started[listen.upperBound...].prefix(while: { $0.isNumber })))

        let client = try TestClient(port: port)
        defer { client.close() }
        #expect(client.send(path: "/slow"))
        #expect(upstream.waitForRequests(count: 1, timeout: 5))
        kill(process.processIdentifier, SIGTERM)

        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "done")
        #expect(response.header("Connection")?.lowercased() == "close")
        guard waitUntil(timeout: 10, { !process.isRunning }) else {
            Issue.record("the gateway did not exit within 10 s of SIGTERM")
            return
        }
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(lines.next(within: 5) { $0.contains(#""event":"stopped""#) } != nil)
    }
}

/// `gateway reload` (SIGHUP through the pid file) on the real process: a good config is swapped in, a broken
/// one is refused by the command itself and, sent as SIGHUP anyway, logged with its JSON path while the
/// running config stays.
@Suite(.serialized) struct ReloadSignalTests {
    @Test func gatewayReloadSwapsTheConfigAndRefusesABrokenOne() throws {
        let binary = SignalTests.gatewayBinary
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the gateway product first")
        let upstream = TestUpstream()
        try upstream.start()
        defer { upstream.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gw-reload-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("gateway.json")
        let pidFile = dir.appendingPathComponent("gateway.pid").path
        func write(_ routes: String, extra: String = "") throws {
            try GatewayHarness.config(routes: routes, extra: #""pid_file": "\#(pidFile)""# + (extra.isEmpty ? "" : ",\n" + extra))
                .replacingOccurrences(of: "{{UPSTREAM}}", with: "127.0.0.1:\(upstream.port)")
                .write(to: config, atomically: true, encoding: .utf8)
        }
        try write(#"[{"prefix": "/a", "upstream": "backend", "auth": "public"}]"#)

        let process = Process()
        process.executableURL = binary
        process.arguments = ["run", "--config", config.path]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let lines = LineReader(stderr.fileHandleForReading)
        let started = try #require(lines.next(within: 10) { $0.contains(#""event":"started""#) })
        let listen = try #require(started.range(of: #""listen":"127.0.0.1:"#))
        let port = try #require(UInt16(started[listen.upperBound...].prefix(while: { $0.isNumber })))
        #expect(try String(contentsOfFile: pidFile, encoding: .utf8) == "\(process.processIdentifier)\n")
        #expect(try TestClient.request(port: port, path: "/a/1").status == 200)

        try write(#"[{"prefix": "/b", "upstream": "backend", "auth": "public"}]"#)
        #expect(try Self.run(binary, ["reload", "--config", config.path]) == 0)
        #expect(lines.next(within: 10) { $0.contains(#""event":"reload_ok""#) } != nil)
        #expect(try TestClient.request(port: port, path: "/b/1").status == 200)
        #expect(try TestClient.request(port: port, path: "/a/1").status == 404)

        try write(#"[{"prefix": "/c", "upstream": "missing", "auth": "public"}]"#)
        #expect(try Self.run(binary, ["reload", "--config", config.path]) == 1)
        kill(process.processIdentifier, SIGHUP)
        let failed = try #require(lines.next(within: 10) { $0.contains(#""event":"reload_failed""#) })
        #expect(failed.contains("routes[0].upstream"))
        #expect(try TestClient.request(port: port, path: "/b/2").status == 200)

        kill(process.processIdentifier, SIGTERM)
        #expect(waitUntil(timeout: 10) { !process.isRunning })
        #expect(!FileManager.default.fileExists(atPath: pidFile))
    }

    static func run(_ binary: URL, _ arguments: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
}

/// Reads lines from a pipe with a deadline.
final class LineReader: @unchecked Sendable {
    private let handle: FileHandle
    private var pending = Data()

    init(_ handle: FileHandle) { self.handle = handle }

    func next(within seconds: Double, where match: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            while let nl = pending.firstIndex(of: 0x0A) {
                let line = String(decoding: pending[pending.startIndex..<nl], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...nl)
                if match(line) { return line }
            }
            var pfd = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, 50) > 0 {
                let chunk = handle.availableData
                if chunk.isEmpty { return nil }
                pending.append(chunk)
            }
        }
        return nil
    }
}
