import HTTP1
import Testing

/// Deterministic mutations of every valid message: each byte replaced by each delimiter-like byte. Whatever the verdict,
/// parsing must not trap (debug builds bounds-check every read) and must not depend on how the bytes were split.
@Suite struct MutationTests {
    static let replacements: [UInt8] = [0x0D, 0x0A, 0x00, 0x20, 0x09, 0x3A, 0x2C, 0x3B, 0x22, 0x80]

    static func mutants(of raw: String) -> [[UInt8]] {
        let input = Feed.bytes(raw)
        var result: [[UInt8]] = []
        for index in input.indices {
            for byte in replacements where byte != input[index] {
                var mutant = input
                mutant[index] = byte
                result.append(mutant)
            }
            result.append(Array(input[..<index]) + input[(index + 1)...])
        }
        return result
    }

    @Test(arguments: validRequests)
    func requestMutantsParseConsistently(_ row: ValidRequest) {
        for mutant in Self.mutants(of: row.raw) {
            let whole = Feed.request(mutant)
            let split = Feed.request(mutant, cuts: [mutant.count / 2])
            let bytewise = Feed.request(mutant, cuts: Array(0..<mutant.count))
            #expect(split.status == whole.status && bytewise.status == whole.status, "\(mutant)")
            if whole.status == .complete {
                #expect(split.head == whole.head && bytewise.head == whole.head, "\(mutant)")
            }
        }
    }

    @Test(arguments: validResponses)
    func responseMutantsParseConsistently(_ row: ValidResponse) {
        for mutant in Self.mutants(of: row.raw) {
            let whole = Feed.response(mutant, method: row.method)
            let bytewise = Feed.response(mutant, method: row.method, cuts: Array(0..<mutant.count))
            #expect(bytewise.status == whole.status, "\(mutant)")
        }
    }

    @Test(arguments: validChunkedBodies)
    func chunkedMutantsDecodeConsistently(_ row: ValidChunked) {
        for mutant in Self.mutants(of: row.raw) {
            let whole = Feed.chunked(mutant)
            #expect(Feed.chunked(mutant, cuts: Array(0..<mutant.count)) == whole, "\(mutant)")
        }
    }

    @Test(arguments: normalizedPaths)
    func pathMutantsStayIdempotent(_ row: PathCase) {
        for mutant in Self.mutants(of: row.input) {
            var once: [UInt8] = []
            guard case .success = mutant.withUnsafeBytes({ PathNormalizer.normalize($0, into: &once) }) else { continue }
            var twice: [UInt8] = []
            _ = once.withUnsafeBytes { PathNormalizer.normalize($0, into: &twice) }
            #expect(twice == once, "\(mutant)")
        }
    }
}
