import EventLoop

/// Every request of a run, serialized once into one byte array as pieces: a head per path (request line, Host and
/// the user's headers), an Authorization line per token, and a tail (body framing and body). Sending a request is
/// three copies into the connection's output buffer: no formatting or allocation per request.
public struct RequestCatalog: Sendable {
    private let bytes: [UInt8]
    private let heads: [Range<Int>]
    /// Indexed by `TokenClass.rawValue`; a class without tokens has one empty piece.
    private let authLines: [[Range<Int>]]
    private let tail: Range<Int>
    let sequence: [TokenClass]
    public let mix: TokenMix
    public let method: String
    public let isHead: Bool
    public let pathCount: Int
    /// The longest request, to size output buffers.
    public let maxRequestBytes: Int

    public init(
        target: LoadTarget, method: String = "GET", paths: [String] = [], headers: [(String, String)] = [],
        body: [UInt8]? = nil, mix: TokenMix = .unchecked, tokens: TokenPool = .empty
    ) throws(LoadError) {
        guard !method.isEmpty, method.utf8.allSatisfy({ Self.isTchar($0) }) else {
            throw LoadError("--method must be a token such as GET or POST, got \"\(method)\"")
        }
        var userSetsHost = false
        for (name, value) in headers {
            guard !name.isEmpty, name.utf8.allSatisfy({ Self.isTchar($0) }) else {
                throw LoadError("--header name \"\(name)\" is not a valid header name")
            }
            guard value.utf8.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else {
                throw LoadError("--header \(name): the value contains a control character")
            }
            switch name.lowercased() {
            case "content-length", "transfer-encoding", "connection":
                throw LoadError("--header \(name) is not allowed: the load generator frames bodies and keeps connections alive itself")
            case "authorization" where mix.classes != [.unchecked]:
                throw LoadError("--header \(name) conflicts with --tokens, which sets Authorization per request")
            case "host":
                userSetsHost = true
            default:
                break
            }
        }
        let targets = paths.isEmpty ? [target.path] : paths
        for p in targets { try LoadTarget.checkTarget(p) }

        var bytes: [UInt8] = []
        var heads: [Range<Int>] = []
        func add(_ s: String) -> Range<Int> {
            let start = bytes.count
            bytes.append(contentsOf: s.utf8)
            return start..<bytes.count
        }
        var common = userSetsHost ? "" : "Host: \(target.authority)\r\n"
        for (name, value) in headers { common += "\(name): \(value)\r\n" }
        for p in targets { heads.append(add("\(method) \(p) HTTP/1.1\r\n" + common)) }

        var authLines = [[Range<Int>]](repeating: [0..<0], count: TokenClass.allCases.count)
        for c in mix.classes where c != .missing && c != .unchecked {
            let list = tokens.tokens(for: c)
            guard !list.isEmpty else { throw LoadError("no tokens were minted for class \(c.name)") }
            authLines[c.rawValue] = list.map { add("Authorization: Bearer \($0)\r\n") }
        }
        let tailStart = bytes.count
        if let body {
            bytes.append(contentsOf: "Content-Length: \(body.count)\r\n\r\n".utf8)
            bytes.append(contentsOf: body)
        } else {
            bytes.append(contentsOf: "\r\n".utf8)
        }
        tail = tailStart..<bytes.count

        self.bytes = bytes
        self.heads = heads
        self.authLines = authLines
        self.mix = mix
        self.method = method
        isHead = method == "HEAD"
        pathCount = targets.count
        sequence = mix.sequence
        let longestHead = heads.map(\.count).max() ?? 0
        let longestAuth = authLines.joined().map(\.count).max() ?? 0
        maxRequestBytes = longestHead + longestAuth + tail.count
    }

    /// Appends request number `n` (of this cursor) to `out` and returns its token class.
    @inline(__always)
    func write(_ cursor: inout RequestCursor, into out: ByteBuffer) -> TokenClass {
        let n = cursor.next
        cursor.next &+= 1
        let c = sequence[n % sequence.count]
        let tokenIndex = cursor.perClass[c.rawValue]
        cursor.perClass[c.rawValue] &+= 1
        let lines = authLines[c.rawValue]
        bytes.withUnsafeBytes { p in
            out.append(UnsafeRawBufferPointer(rebasing: p[heads[n % heads.count]]))
            out.append(UnsafeRawBufferPointer(rebasing: p[lines[tokenIndex % lines.count]]))
            out.append(UnsafeRawBufferPointer(rebasing: p[tail]))
        }
        return c
    }

    /// The request `write` would produce, as text (for tests and `--dry-run`-style inspection).
    func request(_ cursor: inout RequestCursor) -> String {
        let out = ByteBuffer(capacity: maxRequestBytes)
        _ = write(&cursor, into: out)
        return String(decoding: out.readable, as: UTF8.self)
    }

    static func isTchar(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(b)
        }
    }
}

/// One worker's position in the catalog: which request comes next, and which token of each class.
struct RequestCursor {
    var next: Int
    var perClass: [Int]

    /// Workers start at different offsets so that, together, they do not send the same token at the same moment.
    init(start: Int = 0) {
        next = start
        perClass = Array(repeating: start, count: TokenClass.allCases.count)
    }
}
