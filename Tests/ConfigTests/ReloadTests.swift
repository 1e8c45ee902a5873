import Foundation
import Testing
@testable import Config

/// Reload reads the file again: the same bytes must give an equal config, so a reload can tell "nothing changed".
struct ReloadTests {
    private static func write(_ text: String, to directory: URL) throws -> String {
        let file = directory.appendingPathComponent("gateway.json")
        try Data(text.utf8).write(to: file)
        return file.path
    }

    private static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("config-reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test(arguments: [Fixtures.full, Fixtures.operations, IssuerConfigTests.example])
    func loadingTheSameFileTwiceGivesEqualConfigs(json: String) throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Self.write(json, to: directory)
        let first = try ConfigLoader.load(path: path).get()
        let second = try ConfigLoader.load(path: path).get()
        #expect(first == second)
        #expect(first.baseDirectory == directory.standardizedFileURL.path)
    }

    @Test func aChangedFileGivesADifferentConfig() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Self.write(Fixtures.operations, to: directory)
        let first = try ConfigLoader.load(path: path).get()
        _ = try Self.write(Fixtures.operations.replacing(#""handshake_timeout": "5s""#, with: #""handshake_timeout": "6s""#), to: directory)
        let second = try ConfigLoader.load(path: path).get()
        #expect(first != second)
        #expect(second.listeners[1].tls?.handshakeTimeout == .seconds(6))
    }

    @Test func aBrokenFileReportsAndLeavesNoConfig() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Self.write(Fixtures.operations.replacing(#""min_version": "1.3""#, with: #""min_version": "1.1""#), to: directory)
        guard case .failure(let errors) = ConfigLoader.load(path: path) else {
            Issue.record("a TLS 1.1 listener loaded")
            return
        }
        #expect(errors.problems.map(\.path) == ["listen[1].tls.min_version"])
    }
}
