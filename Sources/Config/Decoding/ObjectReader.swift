import JSON

/// Reads one JSON object of the config inside an `init(from:)`.
///
/// Every failure is recorded in the decoding context and the caller gets nil (or the default), so
/// decoding continues and one run reports all problems. Unknown keys are problems: a misspelt key
/// must never silently leave a policy at its default.
struct ObjectReader {
    let context: DecodingContext
    let codingPath: [any CodingKey]
    private let container: KeyedDecodingContainer<ConfigKey>

    /// Throws when the value is not an object (the caller's reader records it).
    init(_ decoder: any Decoder, known: [String]) throws {
        context = try DecodingContext.from(decoder)
        codingPath = decoder.codingPath
        container = try decoder.container(keyedBy: ConfigKey.self)
        for key in container.allKeys where !known.contains(key.stringValue) {
            context.report(codingPath + [key], ObjectReader.unknownKeyMessage(key.stringValue, known: known))
        }
    }

    var path: String { ConfigPath.render(codingPath) }
    func path(_ key: String) -> String { ConfigPath.render(codingPath + [ConfigKey(key)]) }
    func has(_ key: String) -> Bool { container.contains(ConfigKey(key)) }
    func report(_ key: String, _ message: String) { context.report(path(key), message) }
    func report(_ message: String) { context.report(path, message) }

    func decode<T: Decodable>(_ key: String, as type: T.Type = T.self) -> T? {
        let codingKey = ConfigKey(key)
        guard container.contains(codingKey) else { return nil }
        do {
            return try container.decode(type, forKey: codingKey)
        } catch {
            context.record(error, at: codingPath + [codingKey])
            return nil
        }
    }

    func require<T: Decodable>(_ key: String, as type: T.Type = T.self) -> T? {
        guard has(key) else {
            report(key, "missing required key")
            return nil
        }
        return decode(key, as: type)
    }

    /// Decodes each element on its own so one bad element neither hides the others' problems nor drops the list.
    func list<T: Decodable>(_ key: String, of type: T.Type = T.self) -> [T]? {
        indexedList(key, of: type)?.map(\.value)
    }

    /// Like `list`, keeping each decoded element's index in the file for later messages.
    func indexedList<T: Decodable>(_ key: String, of type: T.Type = T.self) -> [(index: Int, value: T)]? {
        let codingKey = ConfigKey(key)
        guard container.contains(codingKey) else { return nil }
        do {
            return ObjectReader.elements(of: try container.nestedUnkeyedContainer(forKey: codingKey), context: context)
        } catch {
            context.record(error, at: codingPath + [codingKey])
            return nil
        }
    }

    static func elements<T: Decodable>(of container: any UnkeyedDecodingContainer, context: DecodingContext)
        -> [(index: Int, value: T)]
    {
        var container = container
        var result: [(index: Int, value: T)] = []
        while !container.isAtEnd {
            let index = container.currentIndex
            do {
                let element = try container.superDecoder()
                do { result.append((index, try T(from: element))) } catch { context.record(error, at: element.codingPath) }
            } catch {
                context.record(error, at: container.codingPath)
                break
            }
        }
        return result
    }

    /// Reports each repeated element at its own index ("listen[3]: 127.0.0.1:8080 is listed twice").
    func reportRepeats<T: Equatable>(_ key: String, _ elements: [(index: Int, value: T)], describe: (T) -> String) {
        for (i, element) in elements.enumerated() where elements[..<i].contains(where: { $0.value == element.value }) {
            context.report(ConfigPath.child(path(key), index: element.index), "\(describe(element.value)) is listed twice")
        }
    }

    /// The JSON under a key, for checks on the document's shape (an empty list) rather than its values.
    func rawValue(_ key: String) -> JSONValue? {
        (try? container.superDecoder(forKey: ConfigKey(key)))?.jsonValue
    }

    func bool(_ key: String, default value: Bool) -> Bool { decode(key, as: Bool.self) ?? value }

    func string(_ key: String, default value: String) -> String { decode(key, as: String.self) ?? value }

    func int(_ key: String, default value: Int, in range: ClosedRange<Int>) -> Int {
        guard let found = decode(key, as: Int.self) else { return value }
        return checked(key, found, in: range, render: String.init) ?? value
    }

    func optionalInt(_ key: String, in range: ClosedRange<Int>) -> Int? {
        guard let found = decode(key, as: Int.self) else { return nil }
        return checked(key, found, in: range, render: String.init)
    }

    func size(_ key: String, default value: Int, in range: ClosedRange<Int>) -> Int {
        guard let found = decode(key, as: ByteSize.self)?.bytes else { return value }
        return checked(key, found, in: range, render: ByteSize.format) ?? value
    }

    func duration(_ key: String, default value: Duration, in range: ClosedRange<Duration>) -> Duration {
        optionalDuration(key, in: range) ?? value
    }

    func optionalDuration(_ key: String, in range: ClosedRange<Duration>) -> Duration? {
        guard let found = decode(key, as: DurationText.self)?.value else { return nil }
        return checked(key, found, in: range, render: DurationText.format)
    }

    private func checked<V: Comparable>(_ key: String, _ value: V, in range: ClosedRange<V>, render: (V) -> String) -> V? {
        guard range.contains(value) else {
            report(key, "must be between \(render(range.lowerBound)) and \(render(range.upperBound)), got \(render(value))")
            return nil
        }
        return value
    }

    static func unknownKeyMessage(_ key: String, known: [String]) -> String {
        let list = known.filter { $0 != "$schema" }.joined(separator: ", ")
        if let guess = Suggestion.closest(to: key, in: known) {
            return "unknown key; did you mean \"\(guess)\"? (known: \(list))"
        }
        return "unknown key (known: \(list))"
    }
}

/// "Did you mean" for misspelt names: the closest candidate within a small edit distance.
enum Suggestion {
    static func closest(to word: String, in candidates: [String]) -> String? {
        let limit = max(1, min(3, word.count / 3))
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(Array(word.lowercased().utf8), Array(candidate.lowercased().utf8))
            if distance <= limit, distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
        }
        return best?.0
    }

    /// Optimal string alignment distance: a swapped pair of letters ("methdos") counts as one edit.
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { value = min(value, table[i - 2][j - 2] + 1) }
                table[i][j] = value
            }
        }
        return table[a.count][b.count]
    }
}
