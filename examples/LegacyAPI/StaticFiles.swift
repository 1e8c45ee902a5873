import Glibc

/// The demo front-end's files, served from one directory under a fixed allow-list of request paths. A request path
/// is only ever compared with the list, never joined to the directory, so no path (`..`, `%2e`, `//`, NUL) can
/// reach another file: traversal is impossible by construction.
struct StaticFiles: Sendable {
    struct Entry: Sendable {
        let path: String
        let file: String
        let contentType: String
    }

    static let entries: [Entry] = [
        Entry(path: "/", file: "index.html", contentType: "text/html; charset=utf-8"),
        Entry(path: "/web/app.js", file: "app.js", contentType: "text/javascript; charset=utf-8"),
        Entry(path: "/web/style.css", file: "style.css", contentType: "text/css; charset=utf-8"),
    ]

    /// The page keeps tokens in memory, so it allows nothing but its own origin: no inline or foreign script that
    /// an injection could use to read them, no framing (clickjacking), no form posts elsewhere.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    /// Larger files are refused: the demo's are a few KiB, and a read must not stall the loop for long.
    static let maxFileBytes = 1 << 20

    let directory: String

    /// The entry for a request path, or nil when the path is not on the list.
    static func entry(for path: Substring) -> Entry? {
        entries.first { $0.path == path }
    }

    /// Reads the file on every request (they are tiny), so an edited page shows on reload without a restart.
    func response(for entry: Entry) -> LegacyResponse {
        guard let body = Self.read(directory + "/" + entry.file) else {
            return .error(404, "not_found", "The demo page's file is missing from the static directory.")
        }
        var response = LegacyResponse(status: 200, contentType: entry.contentType, body: body)
        // no-cache: the browser revalidates, so a demo never runs a stale script against a changed API.
        response.extraHeaders = [("Cache-Control", "no-cache"), ("X-Content-Type-Options", "nosniff")]
        if entry.file == "index.html" {
            response.extraHeaders += [
                ("Content-Security-Policy", Self.contentSecurityPolicy), ("Referrer-Policy", "no-referrer"),
            ]
        }
        return response
    }

    /// A regular file's bytes, or nil when it is missing, not a regular file, unreadable or too large.
    static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size <= maxFileBytes else { return nil }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n == 0 { return bytes }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            bytes.append(contentsOf: chunk[0..<n])
            guard bytes.count <= maxFileBytes else { return nil }
        }
    }

    /// Whether `directory` holds the page (index.html is readable).
    static func holdsPage(_ directory: String) -> Bool {
        access(directory + "/index.html", R_OK) == 0
    }
}
