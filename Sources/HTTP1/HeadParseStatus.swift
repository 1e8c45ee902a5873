/// Result of feeding bytes to a head parser.
public enum HeadParseStatus: Sendable, Equatable {
    case needMore, complete, invalid(HTTPError)
}
