import Config
import Foundation
import Proxy
import Testing

/// Every config shipped in the repository passes the same checks as `gateway check`, so the README's and
/// examples' configs cannot rot.
@Suite struct ExampleConfigTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var configs: [String] {
        let dir = root.appendingPathComponent("examples/configs")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return ["gateway.json"] + names.filter { $0.hasSuffix(".json") }.sorted().map { "examples/configs/\($0)" }
    }

    @Test func thereAreExampleConfigs() {
        #expect(Self.configs.count >= 4)
    }

    @Test(arguments: configs)
    func configIsValid(_ relative: String) throws {
        let env = [
            "GATEWAY_DEMO_SECRET": "an-example-secret-of-at-least-32-bytes!",
            "GATEWAY_INTERNAL_SECRET": "another-example-secret-32-bytes-long!!",
        ]
        let path = Self.root.appendingPathComponent(relative).path
        let config: GatewayConfig
        switch ConfigLoader.load(path: path) {
        case .success(let c): config = c
        case .failure(let e): Issue.record("\(relative): \(e)"); return
        }
        switch SnapshotBuilder.build(config, environment: { env[$0] }) {
        case .success(let snapshot): #expect(!snapshot.routes.routes.isEmpty)
        case .failure(let e): Issue.record("\(relative): \(e)")
        }
    }
}
