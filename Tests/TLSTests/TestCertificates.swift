import Foundation
import Testing

/// Certificates made with the `openssl` CLI once per test process in a temporary directory: a CA, server
/// certificates it signed ("localhost", "api.test" with "*.wild.test"), an expired one, a second CA that
/// signed nothing here, and a key that matches none of the certificates.
struct TestCertificates: Sendable {
    let dir: String
    var ca: String { dir + "/ca.pem" }
    var otherCA: String { dir + "/other-ca.pem" }
    var localhostCert: String { dir + "/localhost.pem" }
    var localhostKey: String { dir + "/localhost.key" }
    var apiCert: String { dir + "/api.pem" }
    var apiKey: String { dir + "/api.key" }
    var expiredCert: String { dir + "/expired.pem" }
    var expiredKey: String { dir + "/expired.key" }
    var strayKey: String { dir + "/stray.key" }
    var garbage: String { dir + "/garbage.pem" }

    static let shared: TestCertificates = {
        let dir = NSTemporaryDirectory() + "tls-test-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let c = TestCertificates(dir: dir)
        c.make()
        return c
    }()

    private func make() {
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        openssl(["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "30", "-subj", "/CN=Gateway Test CA"])
        openssl(["req", "-x509"] + ec + ["-keyout", "other-ca.key", "-out", "other-ca.pem", "-days", "30", "-subj", "/CN=Other CA"])
        sign("localhost", san: "DNS:localhost,IP:127.0.0.1", days: "30")
        sign("api", san: "DNS:api.test,DNS:*.wild.test", days: "30")
        sign("expired", san: "DNS:localhost,IP:127.0.0.1", days: "-1")
        openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "stray.key"])
        _ = FileManager.default.createFile(atPath: garbage, contents: Data("not a certificate\n".utf8))
    }

    private func sign(_ name: String, san: String, days: String) {
        let cn = name == "api" ? "api.test" : name
        openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(cn)"])
        _ = FileManager.default.createFile(atPath: "\(dir)/\(name).ext", contents: Data("subjectAltName=\(san)\n".utf8))
        openssl([
            "x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", days,
            "-extfile", "\(name).ext", "-out", "\(name).pem",
        ])
    }

    private func openssl(_ args: [String]) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do {
            try p.run()
            p.waitUntilExit()
        } catch {
            Issue.record("openssl \(args.first ?? ""): \(error)")
        }
    }
}
