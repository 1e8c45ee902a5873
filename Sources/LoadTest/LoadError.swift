/// A problem with the load test's inputs (URL, token mix, files) or its setup, with a sentence for the user.
public struct LoadError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
