/// One mistake in the config, at a JSON path such as `routes[3].upstream` ("$" is the whole document).
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `routes[3].upstream: no upstream named "legacy2" (known: legacy)`
    public var description: String { "\(path): \(message)" }
}

/// Every problem found in one load, in document order.
public struct ConfigErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [ConfigProblem]

    public init(problems: [ConfigProblem]) { self.problems = problems }

    /// One problem per line.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
