import Glibc
import HTTP1

// Properties of RequestHeadParser, checked on every input:
// 1. Delivering the bytes whole or in two pieces (cut at a data-derived point) gives the same status and head: a head
//    split across reads must never be read differently (a smuggling primitive).
// 2. A parsed request, re-serialised canonically, parses again to the same method, target, version, headers, framing
//    and keep-alive: the proxy forwards what it understood, so the upstream must understand the same.

/// Release builds drop a precondition's message, so the violated property is written to stderr before trapping.
func violated(_ property: String) -> Never {
    var line = "property violated: \(property)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    preconditionFailure(property)
}

// Statics are initialised on first use, independently of this file's top-level code (which never runs under
// libFuzzer's main).
enum Setting {
    /// Small limits, so that the 414/431 paths are reachable with fuzzer-sized inputs.
    static let limits = HeadLimits(maxTargetBytes: 256, maxHeadBytes: 2048, maxHeaderCount: 16)
}

func parse(_ input: UnsafeRawBufferPointer, cut: Int?, limits: HeadLimits) -> (status: HeadParseStatus, head: RequestHead) {
    var parser = RequestHeadParser(limits: limits)
    var head = RequestHead()
    if let cut {
        let status = parser.parse(UnsafeRawBufferPointer(rebasing: input[0..<cut]), into: &head)
        if status != .needMore { return (status, head) }
    }
    return (parser.parse(input, into: &head), head)
}

func bytes(_ input: UnsafeRawBufferPointer, _ range: Range<Int>) -> [UInt8] {
    Array(input[range])
}

func checkRanges(_ head: RequestHead, size: Int) {
    guard head.headLength <= size else { violated("headLength \(head.headLength) > input \(size)") }
    let ranges = [head.methodRange, head.target] + head.headers.flatMap { [$0.name, $0.value] }
    for range in ranges where range.upperBound > head.headLength {
        violated("range \(range) outside the head (\(head.headLength) bytes)")
    }
}

func serialize(_ head: RequestHead, _ input: UnsafeRawBufferPointer) -> [UInt8] {
    var out = bytes(input, head.methodRange)
    out.append(0x20)
    out += bytes(input, head.target)
    out += Array((head.version == .http1_1 ? " HTTP/1.1\r\n" : " HTTP/1.0\r\n").utf8)
    for field in head.headers {
        out += bytes(input, field.name)
        out += [0x3A, 0x20]
        out += bytes(input, field.value)
        out += [0x0D, 0x0A]
    }
    out += [0x0D, 0x0A]
    return out
}

func checkRoundTrip(_ head: RequestHead, _ input: UnsafeRawBufferPointer) {
    let text = serialize(head, input)
    var relaxed = Setting.limits
    // ": " after every name may lengthen the head; the property is about meaning, not the size bound.
    relaxed.maxHeadBytes = 2 * Setting.limits.maxHeadBytes + 16
    text.withUnsafeBytes { again in
        let (status, reparsed) = parse(again, cut: nil, limits: relaxed)
        guard status == .complete else { violated("re-serialised request is \(status)") }
        guard reparsed.headLength == again.count else { violated("re-serialised head length differs") }
        guard reparsed.method == head.method, bytes(again, reparsed.methodRange) == bytes(input, head.methodRange),
            bytes(again, reparsed.target) == bytes(input, head.target), reparsed.version == head.version
        else { violated("re-serialised start line differs") }
        guard reparsed.headers.count == head.headers.count else { violated("header count differs") }
        for (a, b) in zip(head.headers, reparsed.headers) {
            guard a.kind == b.kind, bytes(input, a.name) == bytes(again, b.name), bytes(input, a.value) == bytes(again, b.value)
            else { violated("re-serialised header differs") }
        }
        guard reparsed.framing == head.framing, reparsed.keepAlive == head.keepAlive, reparsed.hostIndex == head.hostIndex,
            reparsed.expectContinue == head.expectContinue
        else { violated("re-serialised framing or connection handling differs") }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let whole = parse(input, cut: nil, limits: Setting.limits)
    if size > 1 {
        let cut = (Int(data[0]) << 8 | Int(data[size - 1])) % size
        let split = parse(input, cut: cut, limits: Setting.limits)
        guard split.status == whole.status else {
            violated("whole gives \(whole.status), split at \(cut) gives \(split.status)")
        }
        guard whole.status != .complete || split.head == whole.head else {
            violated("whole and split at \(cut) parse different heads")
        }
    }
    if whole.status == .complete {
        checkRanges(whole.head, size: size)
        checkRoundTrip(whole.head, input)
    }
    return 0
}
