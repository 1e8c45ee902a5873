import EventLoop
import Foundation
import LegacyAPI
import Testing

/// The example legacy API's demo page files, over real sockets: the allow-list, the headers, and that no request path
/// reaches any other file.
@Suite struct LegacyAPIStaticTests {
    static let files = [
        "index.html": "<!doctype html><title>page</title>\n",
        "app.js": "console.log('app');\n",
        "style.css": "body { margin: 0; }\n",
        "secret.txt": "inside the static directory but not on the list\n",
    ]

    /// A fresh directory `<tmp>/site` holding `files` (minus `omit`), with a secret beside it in `<tmp>`.
    private func withSite(omit: String? = nil, _ body: (String, UInt16) throws -> Void) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("legacy-static-\(UUID().uuidString)")
        let site = root.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        for (name, text) in Self.files where name != omit {
            try Data(text.utf8).write(to: site.appendingPathComponent(name))
        }
        try Data("outside the static directory\n".utf8).write(to: root.appendingPathComponent("secret.txt"))
        try withServer(staticDirectory: site.path) { try body(site.path, $0) }
    }

    private func withServer(staticDirectory: String?, _ body: (UInt16) throws -> Void) throws {
        let address = try #require(SocketAddress(host: "127.0.0.1", port: 0))
        let server = LegacyAPIServer(listen: address, threads: 1, staticDirectory: staticDirectory)
        let port = try server.start()
        defer { server.stop() }
        try body(port)
    }

    struct Asset: Sendable, CustomStringConvertible {
        let path: String
        let file: String
        let contentType: String
        var description: String { path }
    }

    static let assets = [
        Asset(path: "/", file: "index.html", contentType: "text/html; charset=utf-8"),
        Asset(path: "/web/app.js", file: "app.js", contentType: "text/javascript; charset=utf-8"),
        Asset(path: "/web/style.css", file: "style.css", contentType: "text/css; charset=utf-8"),
        Asset(path: "/?next=/api", file: "index.html", contentType: "text/html; charset=utf-8"),
    ]

    @Test(arguments: assets)
    func servesTheListedFilesWithTheirHeaders(asset: Asset) throws {
        try withSite { _, port in
            let response = try TestClient.request(port: port, path: asset.path)
            #expect(response.status == 200)
            #expect(response.header("content-type") == asset.contentType)
            #expect(response.header("cache-control") == "no-cache")
            #expect(response.header("x-content-type-options") == "nosniff")
            #expect(response.bodyText == Self.files[asset.file])
        }
    }

    @Test func onlyThePageCarriesTheContentSecurityPolicy() throws {
        try withSite { _, port in
            let page = try TestClient.request(port: port, path: "/")
            let policy = try #require(page.header("content-security-policy"))
            #expect(policy.contains("script-src 'self'"))
            #expect(policy.contains("frame-ancestors 'none'"))
            #expect(page.header("referrer-policy") == "no-referrer")
            let script = try TestClient.request(port: port, path: "/web/app.js")
            #expect(script.header("content-security-policy") == nil)
        }
    }

    @Test func headAnswersWithTheLengthAndNoBody() throws {
        try withSite { _, port in
            let response = try TestClient.request(port: port, method: "HEAD", path: "/web/style.css")
            #expect(response.status == 200)
            #expect(response.header("content-length") == String(Self.files["style.css", default: ""].utf8.count))
            #expect(response.body.isEmpty)
        }
    }

    @Test(arguments: [
        "/web/", "/web", "/index.html", "/web/index.html", "/web/missing.js", "/secret.txt", "/web/secret.txt",
        "/web/../secret.txt", "/web/../../secret.txt", "/web/%2e%2e/secret.txt", "/web/..%2fsecret.txt",
        "/web//app.js", "/web/./app.js", "/web/app.js/", "/web/APP.JS", "/web/app.js%00", "//web/app.js",
    ])
    func anyOtherPathIsNotFound(path: String) throws {
        try withSite { _, port in
            let response = try TestClient.request(port: port, path: path)
            #expect(response.status == 404)
            #expect(response.errorCode == "not_found")
            #expect(!response.bodyText.contains("secret"))
            #expect(!response.bodyText.contains("console.log"))
        }
    }

    @Test func writesToThePageAreRefused() throws {
        try withSite { _, port in
            let response = try TestClient.request(port: port, method: "POST", path: "/web/app.js", body: Array("x".utf8))
            #expect(response.status == 405)
            #expect(response.header("allow") == "GET, HEAD")
        }
    }

    @Test func aListedFileMissingFromTheDirectoryIsNotFound() throws {
        try withSite(omit: "app.js") { _, port in
            let script = try TestClient.request(port: port, path: "/web/app.js")
            let page = try TestClient.request(port: port, path: "/")
            #expect(script.status == 404)
            #expect(page.status == 200)
        }
    }

    @Test func withoutADirectoryThereIsNoPage() throws {
        try withServer(staticDirectory: nil) { port in
            let root = try TestClient.request(port: port, path: "/")
            let script = try TestClient.request(port: port, path: "/web/app.js")
            #expect(root.bodyText == "legacy api\n")
            #expect(script.status == 404)
        }
    }

    @Test func theRepositorysDemoPageIsFoundAndComplete() throws {
        let directory = try #require(LegacyAPIServer.defaultStaticDirectory())
        try withServer(staticDirectory: directory) { port in
            let page = try TestClient.request(port: port, path: "/")
            #expect(page.status == 200)
            #expect(page.bodyText.contains("src=\"/web/app.js\""))
            #expect(page.bodyText.contains("href=\"/web/style.css\""))
            let script = try TestClient.request(port: port, path: "/web/app.js")
            let style = try TestClient.request(port: port, path: "/web/style.css")
            #expect(script.status == 200)
            #expect(style.status == 200)
        }
    }

    @Test func theJSONEndpointsStayAsTheyWere() throws {
        try withSite { _, port in
            let response = try TestClient.request(port: port, path: "/api/unsecure")
            #expect(response.status == 200)
            #expect(response.json?["message"] as? String == "anyone can see this")
        }
    }
}
