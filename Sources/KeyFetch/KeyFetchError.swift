/// Why a key fetcher could not be configured or started; the message names the issuer and is safe to log.
public struct KeyFetchError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
