/// A JSON object with members in source order. The parser guarantees unique names.
///
/// Lookup is a linear scan: JWT headers and claim sets have a handful of members, and a scan over
/// a small array beats hashing every key at parse time.
public struct JSONObject: Sendable, Equatable {
    public var members: [(key: String, value: JSONValue)]

    public init() { members = [] }

    public init(members: [(key: String, value: JSONValue)]) { self.members = members }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }

    /// Reads a member; setting replaces an existing member in place or appends a new one,
    /// and setting `nil` removes it.
    public subscript(key: String) -> JSONValue? {
        get {
            for member in members where member.key == key { return member.value }
            return nil
        }
        set {
            let index = members.firstIndex { $0.key == key }
            switch (index, newValue) {
            case (let i?, let value?): members[i].value = value
            case (let i?, nil): members.remove(at: i)
            case (nil, let value?): members.append((key: key, value: value))
            case (nil, nil): break
            }
        }
    }

    /// Equal when both hold the same names with equal values; member order does not matter,
    /// because names are unique and RFC 8259 gives order no meaning.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for member in lhs.members {
            guard let other = rhs[member.key], other == member.value else { return false }
        }
        return true
    }
}
