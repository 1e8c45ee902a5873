/// Why a head was refused. One case per rejection so each maps to a distinct, stable error code; the same fault found in an
/// upstream response becomes a 502 with an "upstream_" code, since the client did nothing wrong.
enum HeadFault: String, Error, Sendable {
    case invalidLineEnding = "invalid_line_ending"
    case invalidRequestLine = "invalid_request_line"
    case invalidMethod = "invalid_method"
    case invalidTarget = "invalid_target"
    case unsupportedTargetForm = "unsupported_target_form"
    case notImplemented = "not_implemented"
    case uriTooLong = "uri_too_long"
    case versionNotSupported = "http_version_not_supported"
    case invalidVersion = "invalid_version"
    case invalidHeaderName = "invalid_header_name"
    case obsoleteLineFolding = "obsolete_line_folding"
    case invalidHeaderValue = "invalid_header_value"
    case headersTooLarge = "headers_too_large"
    case missingHost = "missing_host"
    case duplicateHost = "duplicate_host"
    case invalidHost = "invalid_host"
    case ambiguousFraming = "ambiguous_framing"
    case invalidContentLength = "invalid_content_length"
    case contentLengthOverflow = "content_length_overflow"
    case unsupportedTransferEncoding = "unsupported_transfer_encoding"
    case invalidTransferEncoding = "invalid_transfer_encoding"
    case transferEncodingInHTTP10 = "transfer_encoding_in_http10"
    case invalidConnectionHeader = "invalid_connection_header"
    case expectationFailed = "expectation_failed"
    case invalidStatusLine = "invalid_status_line"
    case upgradeNotSupported = "upgrade_not_supported"
    case invalidBodilessFraming = "invalid_bodiless_framing"

    var requestStatus: Int {
        switch self {
        case .notImplemented, .unsupportedTransferEncoding: return 501
        case .uriTooLong: return 414
        case .versionNotSupported: return 505
        case .headersTooLarge: return 431
        case .expectationFailed: return 417
        default: return 400
        }
    }

    var message: String {
        switch self {
        case .invalidLineEnding: return "Lines in the message head must end with CRLF; a bare CR or LF was found."
        case .invalidRequestLine: return "The request line must be exactly a method, a target and a version separated by single spaces."
        case .invalidMethod: return "The request method is not a valid token."
        case .invalidTarget: return "The request target contains a byte that is not allowed in an origin-form URI."
        case .unsupportedTargetForm: return "Only origin-form request targets (and \"*\" for OPTIONS) are accepted."
        case .notImplemented: return "The CONNECT method is not supported."
        case .uriTooLong: return "The request target is longer than the configured limit."
        case .versionNotSupported: return "Only HTTP/1.0 and HTTP/1.1 are supported."
        case .invalidVersion: return "The HTTP version is malformed."
        case .invalidHeaderName: return "A header field name is not a valid token or has whitespace before the colon."
        case .obsoleteLineFolding: return "Header line folding (a line starting with whitespace) is not allowed."
        case .invalidHeaderValue: return "A header field value contains a control character."
        case .headersTooLarge: return "The message head has too many header fields or too many bytes."
        case .missingHost: return "An HTTP/1.1 request must carry exactly one Host header."
        case .duplicateHost: return "The request carries more than one Host header."
        case .invalidHost: return "The Host header is not a valid host[:port] authority."
        case .ambiguousFraming: return "The message carries both Content-Length and Transfer-Encoding."
        case .invalidContentLength: return "Content-Length must be a single header holding only decimal digits."
        case .contentLengthOverflow: return "Content-Length is too large to represent."
        case .unsupportedTransferEncoding: return "Only the chunked transfer coding is supported."
        case .invalidTransferEncoding: return "Transfer-Encoding must be a single header whose final coding is chunked, applied once."
        case .transferEncodingInHTTP10: return "Transfer-Encoding is not allowed in an HTTP/1.0 message."
        case .invalidConnectionHeader: return "The Connection header is malformed or names a header that frames or authenticates the message."
        case .expectationFailed: return "Only the 100-continue expectation is supported."
        case .invalidStatusLine: return "The status line must be an HTTP version, a three-digit status code and an optional reason."
        case .upgradeNotSupported: return "Protocol upgrades (101 Switching Protocols) are not forwarded."
        case .invalidBodilessFraming: return "A 1xx or 204 response must not carry Transfer-Encoding or a non-zero Content-Length."
        }
    }

    var requestError: HTTPError {
        HTTPError(status: requestStatus, code: rawValue, message: message)
    }

    var responseError: HTTPError {
        HTTPError(status: 502, code: "upstream_" + rawValue, message: "The upstream response is invalid: " + message)
    }
}
