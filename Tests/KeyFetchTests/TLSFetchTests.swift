import Foundation
import JWT
import KeyFetch
import TLS
import Testing

/// Keys over https from a provider whose self-signed certificate (made by the openssl CLI) is the CA.
@Suite struct TLSFetchTests {
    /// A fresh P-256 certificate for 127.0.0.1 and its key, in a temporary directory.
    static func certificate(_ name: String) throws -> TLSCertificateFiles {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keyfetch-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let files = TLSCertificateFiles(certificate: dir + "/\(name).pem", key: dir + "/\(name).key")
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
            "-subj", "/CN=\(name)", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", files.key, "-out", files.certificate,
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0)
        return files
    }

    @Test func keysArriveOverHTTPSVerifiedAgainstTheConfiguredCA() throws {
        let cert = try Self.certificate("idp")
        let key = try FetchFixture.key("k1")
        let idp = try RemoteIssuer(
            settings: FetchFixture.settings(), tls: try TLSServerContext(defaultCertificate: cert), caFile: cert.certificate
        ) { $0.json(FetchFixture.jwksPath, try FetchFixture.jwks([key]), chunked: true) }
        defer { idp.stop() }
        #expect(FetchFixture.eventually { idp.events.count("keys_refreshed") == 1 })
        #expect(idp.events.last("keys_refreshed")?["uri"]?.hasPrefix("https://") == true)
        #expect(throws: Never.self) { try idp.verify(FetchFixture.token(key, issuer: idp.issuer)).get() }
    }

    @Test func aProviderWithAnotherCertificateIsRefused() throws {
        let served = try Self.certificate("impostor")
        let trusted = try Self.certificate("idp")
        let key = try FetchFixture.key("k1")
        let idp = try RemoteIssuer(
            settings: FetchFixture.settings(), tls: try TLSServerContext(defaultCertificate: served), caFile: trusted.certificate
        ) { $0.json(FetchFixture.jwksPath, try FetchFixture.jwks([key])) }
        defer { idp.stop() }
        #expect(FetchFixture.eventually { idp.events.count("keys_refresh_failed") == 1 })
        #expect(idp.events.last("keys_refresh_failed")?["reason"]?.contains("TLS") == true)
        #expect(idp.server.count(FetchFixture.jwksPath) == 0)
        #expect(idp.verify(try FetchFixture.token(key, issuer: idp.issuer)).failure == .keysUnavailable)
    }
}
