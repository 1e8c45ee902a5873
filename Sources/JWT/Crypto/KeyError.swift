/// Why a key could not be loaded or used. Messages never contain key material, so they are safe to log.
public struct KeyError: Error, Sendable, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }
}
