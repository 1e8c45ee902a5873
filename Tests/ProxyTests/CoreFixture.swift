import Foundation
import Glibc
import Testing

/// The parent of every core integration suite: `.serialized` is inherited by the nested suites in the
/// Core*Tests.swift files, so no two of them hold sockets at the same time and each one's descriptor count
/// can be compared with the baseline it started from.
@Suite(.serialized) struct CoreTests {}

/// A recording upstream and a real gateway in front of it, for one test. `stop()` stops both and checks that
/// every descriptor the test opened (gateway, upstream, clients) was closed again.
final class CoreFixture {
    static let catchAll = #"[{"prefix": "/", "upstream": "backend", "auth": "public"}]"#

    let baseline: Int
    let upstream: TestUpstream
    let gateway: GatewayHarness
    var port: UInt16 { gateway.port }

    /// `deadUpstream`: the gateway's upstream is a port nothing listens on (the recording upstream still runs,
    /// so a test can show it was never contacted).
    init(routes: String = catchAll, extra: String = "", deadUpstream: Bool = false) throws {
        baseline = FDCount.open()
        upstream = TestUpstream()
        try upstream.start()
        do {
            let target = deadUpstream ? try CoreFixture.closedPort() : upstream.port
            gateway = try GatewayHarness(config: GatewayHarness.config(routes: routes, extra: extra), upstreamPort: target)
        } catch {
            upstream.stop()
            throw error
        }
    }

    func stop(sourceLocation: SourceLocation = #_sourceLocation) {
        gateway.stop()
        upstream.stop()
        let back = waitUntil(timeout: 3) { FDCount.open() <= baseline }
        #expect(back, "open descriptors \(FDCount.open()), baseline \(baseline)", sourceLocation: sourceLocation)
    }

    /// A loopback port that was just bound and released, so a connect to it is refused.
    static func closedPort() throws -> UInt16 {
        let probe = TestUpstream()
        try probe.start()
        let port = probe.port
        probe.stop()
        return port
    }
}

/// The parts of a raw HTTP/1.1 message the tests look at, for bytes that `TestClient.readResponse` cannot
/// take (a truncated body, several responses at once).
struct RawMessage {
    let statusLine: String
    let headers: [(String, String)]
    let body: [UInt8]

    /// Splits at the first CRLFCRLF; nil when there is none.
    init?(_ bytes: [UInt8]) {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4,
            let end = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<($0 + 4)]) == separator })
        else { return nil }
        let lines = String(decoding: bytes[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        statusLine = lines.first ?? ""
        headers = lines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
        body = Array(bytes[(end + 4)...])
    }

    func header(_ name: String) -> String? { KitWire.first(headers, name) }
}

extension TestResponse {
    /// A member of the JSON body the default upstream behaviour echoes (what the upstream saw).
    func echoed(_ key: String) -> Any? { json?[key] }
}
