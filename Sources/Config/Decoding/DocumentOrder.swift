import JSON

/// Positions of every value of a document in reading order, so problems found in any order
/// (decoding reads members in code order, validation runs later) are reported top to bottom.
struct DocumentOrder {
    private var spans: [String: (start: Int, end: Int)] = [:]

    init(_ root: JSONValue) {
        var counter = 0
        index(root, path: "$", counter: &counter)
    }

    private mutating func index(_ value: JSONValue, path: String, counter: inout Int) {
        let start = counter
        counter += 1
        switch value {
        case .array(let elements):
            for (i, element) in elements.enumerated() {
                index(element, path: ConfigPath.child(path, index: i), counter: &counter)
            }
        case .object(let object):
            for member in object.members {
                index(member.value, path: ConfigPath.child(path, member.key), counter: &counter)
            }
        default: break
        }
        spans[path] = (start, counter - 1)
    }

    /// A present value sorts at its start; a missing one (a required key) after its parent's last descendant.
    func position(of path: String) -> (Int, Int) {
        if let span = spans[path] { return (span.start, 0) }
        var current = ConfigPath.parent(path)
        while let candidate = current {
            if let span = spans[candidate] { return (span.end, 1) }
            current = ConfigPath.parent(candidate)
        }
        return (Int.max, 1)
    }
}
