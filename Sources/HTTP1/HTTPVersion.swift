/// The two HTTP versions the gateway speaks; anything else is rejected at parse time.
public enum HTTPVersion: Sendable, Equatable {
    case http1_0, http1_1
}
