import Glibc
import HTTP1

// Properties of ChunkedDecoder:
// 1. Whole, byte-by-byte and two-piece deliveries give the same payload, the same end/invalid/incomplete outcome and the
//    same bytes left after the body: a body split across reads must never be framed differently.
// 2. The decoded payload re-encoded as canonical chunked decodes to the same payload, with nothing left over.
// The decoder's contract is checked on every call: `.needMore` consumes everything, `.data` ends at `consumed`.

/// Release builds drop a precondition's message, so the violated property is written to stderr before trapping.
func violated(_ property: String) -> Never {
    var line = "property violated: \(property)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    preconditionFailure(property)
}

// Statics are initialised on first use, independently of this file's top-level code (which never runs under
// libFuzzer's main).
enum Setting {
    /// Small, so that the 413 path is reachable with fuzzer-sized inputs.
    static let maxBodyBytes = 1024
}

enum Outcome: Equatable {
    case end(payload: [UInt8], rest: [UInt8])
    case invalid(HTTPError, payload: [UInt8])
    case incomplete(payload: [UInt8])
}

/// Plays the caller's role: appends arriving pieces to a pending buffer and drops what the decoder consumed.
func decode(_ input: [UInt8], cuts: [Int]) -> Outcome {
    var decoder = ChunkedDecoder(maxBodyBytes: Setting.maxBodyBytes)
    var pending: [UInt8] = []
    var payload: [UInt8] = []
    var delivered = 0
    for end in cuts + [input.count] {
        pending += input[delivered..<end]
        delivered = end
        while true {
            let (event, consumed) = pending.withUnsafeBytes { decoder.next($0) }
            guard consumed >= 0, consumed <= pending.count else {
                violated("consumed \(consumed) of \(pending.count) bytes")
            }
            switch event {
            case .data(let range):
                guard !range.isEmpty, range.upperBound == consumed else {
                    violated("data \(range) must be non-empty and end at consumed \(consumed)")
                }
                payload += pending[range]
                pending.removeFirst(consumed)
                continue
            case .needMore:
                guard consumed == pending.count else { violated("needMore must consume all input") }
                pending.removeFirst(consumed)
            case .end:
                pending.removeFirst(consumed)
                return .end(payload: payload, rest: pending + input[delivered...])
            case .invalid(let error):
                return .invalid(error, payload: payload)
            }
            break
        }
    }
    return .incomplete(payload: payload)
}

func payload(of outcome: Outcome) -> [UInt8] {
    switch outcome {
    case .end(let payload, _), .invalid(_, let payload), .incomplete(let payload): payload
    }
}

/// Canonical chunked: chunks of `chunkSize` bytes (the last one shorter), then the last chunk with no trailers.
func encode(_ payload: [UInt8], chunkSize: Int) -> [UInt8] {
    var out: [UInt8] = []
    var start = 0
    while start < payload.count {
        let end = min(start + chunkSize, payload.count)
        HTTPSerializer.appendChunkHeader(end - start, into: &out)
        out += payload[start..<end]
        out += [0x0D, 0x0A]
        start = end
    }
    return out + HTTPSerializer.lastChunk
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let whole = decode(input, cuts: [])
    let byteByByte = decode(input, cuts: Array(0..<size))
    guard byteByByte == whole else { violated("whole gives \(whole), byte by byte \(byteByByte)") }
    if size > 1 {
        let cut = (Int(data[0]) << 8 | Int(data[size - 1])) % size
        let split = decode(input, cuts: [cut])
        guard split == whole else { violated("whole gives \(whole), split at \(cut) \(split)") }
    }
    let decoded = payload(of: whole)
    let chunkSize = size > 0 ? Int(data[0]) + 1 : 1
    let again = decode(encode(decoded, chunkSize: chunkSize), cuts: [])
    guard again == .end(payload: decoded, rest: []) else {
        violated("re-encoded payload decodes to \(again)")
    }
    return 0
}
