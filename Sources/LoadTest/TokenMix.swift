/// Weighted token classes from `--tokens valid:90,expired:4,...`, turned into a fixed, evenly interleaved sequence of
/// classes so that every window of requests carries the mix (and runs are repeatable).
public struct TokenMix: Sendable, Equatable {
    /// The classes with a weight above zero, in the order they were given.
    public let weights: [(TokenClass, Int)]
    /// One period of the interleaved sequence: each class appears `weight` times.
    public let sequence: [TokenClass]

    public static func == (a: TokenMix, b: TokenMix) -> Bool {
        a.weights.map(\.0) == b.weights.map(\.0) && a.weights.map(\.1) == b.weights.map(\.1)
    }

    /// Bounds the sequence (and so the memory per worker); weights are relative, so 1000 is plenty of resolution.
    public static let maxTotalWeight = 10_000

    /// The mix used when no `--tokens` is given: every request unchecked, without a token.
    public static let unchecked = TokenMix(validated: [(.unchecked, 1)])

    public init(parsing spec: String) throws(LoadError) {
        var weights: [(TokenClass, Int)] = []
        let items = spec.split(separator: ",", omittingEmptySubsequences: false)
        for raw in items {
            let item = raw.trimmingCharacters()
            guard !item.isEmpty else { throw LoadError("--tokens: empty entry in \"\(spec)\"; expected CLASS:WEIGHT,...") }
            let parts = item.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw LoadError("--tokens: \"\(item)\" is not CLASS:WEIGHT (e.g. valid:90)")
            }
            let name = String(parts[0])
            guard let c = TokenClass(name: name) else {
                let known = TokenClass.mixable.map(\.name).joined(separator: ", ")
                throw LoadError("--tokens: unknown class \"\(name)\" (known: \(known))")
            }
            guard let w = Int(parts[1]), w >= 0 else {
                throw LoadError("--tokens: weight of \(name) must be a whole number >= 0, not \"\(parts[1])\"")
            }
            guard !weights.contains(where: { $0.0 == c }) else { throw LoadError("--tokens: \(name) is given twice") }
            if w > 0 { weights.append((c, w)) }
        }
        let total = weights.reduce(0) { $0 + $1.1 }
        guard total > 0 else { throw LoadError("--tokens: the weights add up to 0; give at least one class a weight") }
        guard total <= Self.maxTotalWeight else {
            throw LoadError("--tokens: the weights add up to \(total); keep the total at most \(Self.maxTotalWeight)")
        }
        self.init(validated: weights)
    }

    init(validated weights: [(TokenClass, Int)]) {
        self.weights = weights
        sequence = Self.interleave(weights)
    }

    public var classes: [TokenClass] { weights.map(\.0) }

    /// The share of requests of class `c`, 0...1.
    public func fraction(of c: TokenClass) -> Double {
        let total = weights.reduce(0) { $0 + $1.1 }
        return Double(weights.first(where: { $0.0 == c })?.1 ?? 0) / Double(total)
    }

    /// Smooth weighted round robin (as nginx's upstream balancer): each step every class gains its weight and the
    /// richest is picked and pays the total, so classes are spread out rather than sent in runs.
    private static func interleave(_ weights: [(TokenClass, Int)]) -> [TokenClass] {
        let total = weights.reduce(0) { $0 + $1.1 }
        var current = [Int](repeating: 0, count: weights.count)
        var out: [TokenClass] = []
        out.reserveCapacity(total)
        for _ in 0..<total {
            var best = 0
            for i in weights.indices {
                current[i] += weights[i].1
                if current[i] > current[best] { best = i }
            }
            current[best] -= total
            out.append(weights[best].0)
        }
        return out
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
