import Testing

@testable import LoadTest

@Suite struct TokenMixTests {
    @Test func parsesWeightsInOrder() throws {
        let mix = try TokenMix(parsing: "valid:90,expired:4,bad-signature:3,wrong-role:2,missing:1")
        #expect(mix.weights.map(\.0) == [.valid, .expired, .badSignature, .wrongRole, .missing])
        #expect(mix.weights.map(\.1) == [90, 4, 3, 2, 1])
        #expect(mix.sequence.count == 100)
        for (c, w) in mix.weights { #expect(mix.sequence.filter { $0 == c }.count == w) }
    }

    @Test func shortSpecAndZeroWeights() throws {
        let mix = try TokenMix(parsing: "valid:90, expired:4,missing:0")
        #expect(mix.classes == [.valid, .expired])
        #expect(mix.fraction(of: .expired) == 4.0 / 94.0)
        #expect(mix.fraction(of: .missing) == 0)
    }

    @Test func interleavesRatherThanRuns() throws {
        let mix = try TokenMix(parsing: "valid:1,missing:1")
        #expect(mix.sequence == [.valid, .missing])
        let spread = try TokenMix(parsing: "valid:8,expired:2")
        // Each half of the period carries one expired token: no run of both at the end.
        #expect(spread.sequence[0..<5].filter { $0 == .expired }.count == 1)
        #expect(spread.sequence[5..<10].filter { $0 == .expired }.count == 1)
    }

    struct Invalid: Sendable, CustomStringConvertible {
        let spec: String
        let message: String
        var description: String { spec }
    }

    @Test(arguments: [
        Invalid(spec: "", message: "--tokens: empty entry in \"\"; expected CLASS:WEIGHT,..."),
        Invalid(spec: "valid:90,", message: "--tokens: empty entry in \"valid:90,\"; expected CLASS:WEIGHT,..."),
        Invalid(spec: "valid", message: "--tokens: \"valid\" is not CLASS:WEIGHT (e.g. valid:90)"),
        Invalid(spec: "valid:1:2", message: "--tokens: \"valid:1:2\" is not CLASS:WEIGHT (e.g. valid:90)"),
        Invalid(
            spec: "good:1",
            message: "--tokens: unknown class \"good\" (known: valid, expired, bad-signature, wrong-role, missing)"),
        Invalid(
            spec: "unchecked:1",
            message: "--tokens: unknown class \"unchecked\" (known: valid, expired, bad-signature, wrong-role, missing)"),
        Invalid(spec: "valid:-1", message: "--tokens: weight of valid must be a whole number >= 0, not \"-1\""),
        Invalid(spec: "valid:ten", message: "--tokens: weight of valid must be a whole number >= 0, not \"ten\""),
        Invalid(spec: "valid:1,valid:2", message: "--tokens: valid is given twice"),
        Invalid(spec: "valid:0,missing:0", message: "--tokens: the weights add up to 0; give at least one class a weight"),
        Invalid(spec: "valid:10001", message: "--tokens: the weights add up to 10001; keep the total at most 10000"),
    ])
    func rejectsWithClearMessages(_ row: Invalid) {
        #expect(throws: LoadError(row.message)) { try TokenMix(parsing: row.spec) }
    }

    struct Expectation: Sendable, CustomStringConvertible {
        let tokenClass: TokenClass
        let status: Int
        let allow429: Bool
        let accepted: Bool
        var description: String { "\(tokenClass.name) \(status) allow429=\(allow429)" }
    }

    @Test(arguments: [
        Expectation(tokenClass: .valid, status: 200, allow429: false, accepted: true),
        Expectation(tokenClass: .valid, status: 204, allow429: false, accepted: true),
        Expectation(tokenClass: .valid, status: 401, allow429: false, accepted: false),
        Expectation(tokenClass: .valid, status: 302, allow429: false, accepted: false),
        Expectation(tokenClass: .valid, status: 429, allow429: false, accepted: false),
        Expectation(tokenClass: .valid, status: 429, allow429: true, accepted: true),
        Expectation(tokenClass: .expired, status: 401, allow429: false, accepted: true),
        Expectation(tokenClass: .expired, status: 200, allow429: false, accepted: false),
        Expectation(tokenClass: .expired, status: 403, allow429: false, accepted: false),
        Expectation(tokenClass: .badSignature, status: 401, allow429: false, accepted: true),
        Expectation(tokenClass: .badSignature, status: 200, allow429: true, accepted: false),
        Expectation(tokenClass: .missing, status: 401, allow429: false, accepted: true),
        Expectation(tokenClass: .missing, status: 429, allow429: true, accepted: true),
        Expectation(tokenClass: .wrongRole, status: 403, allow429: false, accepted: true),
        Expectation(tokenClass: .wrongRole, status: 401, allow429: false, accepted: false),
        Expectation(tokenClass: .wrongRole, status: 200, allow429: false, accepted: false),
        Expectation(tokenClass: .unchecked, status: 500, allow429: false, accepted: true),
    ])
    func expectedAnswers(_ row: Expectation) {
        #expect(row.tokenClass.accepts(status: row.status, allow429: row.allow429) == row.accepted)
    }
}
