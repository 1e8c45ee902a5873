/// The pure handling of a key provider's untrusted answers, exposed for the fuzz targets (Tests/Fuzz): each
/// function wraps the one the fetcher itself uses, so fuzzing these exercises the production code.
public enum KeyFetchParsing {
    /// A response the fetcher accepted: status, the `Cache-Control` freshness it grants, and the body.
    public struct Response: Sendable, Equatable {
        public var status: Int
        public var maxAge: Int?
        public var body: [UInt8]
    }

    /// The largest body the fetcher accepts.
    public static var maxBodyBytes: Int { HTTPResponseReader.maxBodyBytes }

    /// Reads a response delivered in `pieces` (one read each) and then closed by the peer, as the fetcher does.
    public static func response(_ pieces: [[UInt8]]) -> Result<Response, KeyFetchError> {
        var reader = HTTPResponseReader()
        var outcome: HTTPFetch.Outcome?
        for piece in pieces where outcome == nil {
            piece.withUnsafeBytes { reader.append($0) }
            outcome = reader.process(atEOF: false)
        }
        switch outcome ?? reader.process(atEOF: true) ?? .failed("the response ended early") {
        case .response(let status, let maxAge, let body): return .success(Response(status: status, maxAge: maxAge, body: body))
        case .failed(let why): return .failure(KeyFetchError(why))
        }
    }

    /// `max-age` from one Cache-Control field value (see `CacheControl.maxAge`).
    public static func maxAge(cacheControl value: [UInt8]) -> Int? {
        value.withUnsafeBytes { CacheControl.maxAge($0) }
    }

    /// The checked `jwks_uri` of a discovery document (see `Discovery.jwksURL`).
    public static func jwksURL(fromMetadata body: [UInt8], issuer: String) -> Result<FetchURL, KeyFetchError> {
        Discovery.jwksURL(fromMetadata: body, issuer: issuer)
    }
}
