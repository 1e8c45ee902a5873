import Testing

@testable import TLS

@Suite struct ServerContextTests {
    let certs = TestCertificates.shared

    @Test func loadsCertificatesAndReportsTheirNames() throws {
        let ctx = try TLSServerContext(
            defaultCertificate: TLSCertificateFiles(certificate: certs.localhostCert, key: certs.localhostKey),
            certificates: [TLSCertificateFiles(certificate: certs.apiCert, key: certs.apiKey)])
        #expect(ctx.certificates.map(\.dnsNames) == [["localhost"], ["api.test", "*.wild.test"]])
        #expect(ctx.certificates[1].subject == "/CN=api.test")
    }

    enum Bad: String, CaseIterable { case missingCert, missingKey, keyMismatch, garbageCert, garbageKey, emptyCiphers }

    @Test(arguments: Bad.allCases)
    func refusesBadInputNamingTheFile(_ bad: Bad) {
        var cert = certs.localhostCert
        var key = certs.localhostKey
        var ciphers = TLSServerContext.intermediateCiphers
        switch bad {
        case .missingCert: cert = certs.dir + "/nope.pem"
        case .missingKey: key = certs.dir + "/nope.key"
        case .keyMismatch: key = certs.strayKey
        case .garbageCert: cert = certs.garbage
        case .garbageKey: key = certs.garbage
        case .emptyCiphers: ciphers = "NO-SUCH-CIPHER"
        }
        do {
            _ = try TLSServerContext(defaultCertificate: TLSCertificateFiles(certificate: cert, key: key), ciphers: ciphers)
            Issue.record("accepted \(bad)")
        } catch {
            switch (bad, error) {
            case (.missingCert, .unreadableFile(let path, _)): #expect(path == cert)
            case (.missingKey, .unreadableFile(let path, _)): #expect(path == key)
            case (.keyMismatch, .keyMismatch(let c, let k)): #expect(c == cert && k == key)
            case (.garbageCert, .invalidCertificate(let path, _)): #expect(path == cert)
            case (.garbageKey, .invalidKey(let path, _)): #expect(path == key)
            case (.emptyCiphers, .invalidSetting(let what)): #expect(what.contains("NO-SUCH-CIPHER"))
            default: Issue.record("\(bad): unexpected \(error)")
            }
            #expect(error.description.contains(bad == .emptyCiphers ? "NO-SUCH-CIPHER" : (bad == .missingCert || bad == .garbageCert ? cert : key)))
        }
    }

    @Test(arguments: [
        ("api.test", true), ("API.Test", true), ("x.wild.test", true), ("wild.test", false), ("a.b.wild.test", false),
        ("localhost", false), ("other.test", false), ("", false), (".wild.test", false),
    ])
    func serverNameTableMatchesExactThenOneLabelWildcards(_ name: String, _ api: Bool) throws {
        let ctx = try TLSServerContext(
            defaultCertificate: TLSCertificateFiles(certificate: certs.localhostCert, key: certs.localhostKey),
            certificates: [TLSCertificateFiles(certificate: certs.apiCert, key: certs.apiKey)])
        let chosen = ctx.names.context(for: name)
        if api {
            #expect(chosen == ctx.contexts[1].ctx)
        } else {
            #expect(chosen == nil || chosen == ctx.contexts[0].ctx)
        }
    }
}

@Suite struct ClientContextTests {
    let certs = TestCertificates.shared

    @Test func refusesAnUnreadableOrUselessCAFile() {
        #expect(throws: TLSError.unreadableFile(path: certs.dir + "/none.pem", reason: "No such file or directory")) {
            _ = try TLSClientContext(caFile: certs.dir + "/none.pem")
        }
        do {
            _ = try TLSClientContext(caFile: certs.garbage)
            Issue.record("garbage CA accepted")
        } catch {
            guard case .invalidCA(let path, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(path == certs.garbage)
        }
    }

    @Test func systemStoreLoads() throws {
        let ctx = try TLSClientContext()
        #expect(ctx.verifies)
    }
}
