import Config
import EventLoop
import Foundation
import Proxy

/// A real gateway, in process, on an ephemeral port of 127.0.0.1, built from a config given as JSON text
/// (with "{{UPSTREAM}}" replaced by the test upstream's address). Stop it with `stop()`; it drains and joins
/// its worker threads.
final class GatewayHarness {
    let gateway: Gateway
    let port: UInt16

    struct StartError: Error, CustomStringConvertible {
        var description: String
    }

    init(config json: String, upstreamPort: UInt16? = nil, environment: [String: String] = [:], baseDirectory: String? = nil) throws {
        var text = json
        if let p = upstreamPort { text = text.replacingOccurrences(of: "{{UPSTREAM}}", with: "127.0.0.1:\(p)") }
        let cfg: GatewayConfig
        switch ConfigLoader.decode(Array(text.utf8), baseDirectory: baseDirectory) {
        case .success(let c): cfg = c
        case .failure(let e): throw StartError(description: "config: \(e)")
        }
        let env = environment
        let snapshot: Snapshot
        switch SnapshotBuilder.build(cfg, environment: { env[$0] }) {
        case .success(let s): snapshot = s
        case .failure(let e): throw StartError(description: "snapshot: \(e)")
        }
        gateway = Gateway(snapshot: snapshot)
        try gateway.start()
        port = gateway.boundAddresses.first?.port ?? 0
    }

    func stop() {
        gateway.shutdown()
        gateway.wait()
    }

    /// A minimal config: listen on an ephemeral port, one upstream, the given routes (JSON array text) and
    /// extra top-level members (JSON object members text, may be empty).
    static func config(routes: String, extra: String = "", log: String = "off") -> String {
        """
        {
          "listen": "127.0.0.1:0",
          "workers": 1,
          "upstreams": { "backend": ["{{UPSTREAM}}"] },
          "log": { "access": "\(log)" },
          \(extra.isEmpty ? "" : extra + ",")
          "routes": \(routes)
        }
        """
    }
}
