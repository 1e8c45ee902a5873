import Glibc
import HTTP1

// Properties of ResponseHeadParser, checked on every input and for both a GET and a HEAD request: delivering the bytes
// whole or in two pieces gives the same status and head, and a complete head never claims more bytes than it was given
// nor points a header outside itself.

/// Release builds drop a precondition's message, so the violated property is written to stderr before trapping.
func violated(_ property: String) -> Never {
    var line = "property violated: \(property)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    preconditionFailure(property)
}

// Statics are initialised on first use, independently of this file's top-level code (which never runs under
// libFuzzer's main).
enum Setting {
    static let limits = HeadLimits(maxTargetBytes: 256, maxHeadBytes: 2048, maxHeaderCount: 16)
}

func parse(_ input: UnsafeRawBufferPointer, method: HTTPMethod, cut: Int?) -> (status: HeadParseStatus, head: ResponseHead) {
    var parser = ResponseHeadParser(limits: Setting.limits)
    var head = ResponseHead()
    if let cut {
        let status = parser.parse(UnsafeRawBufferPointer(rebasing: input[0..<cut]), requestMethod: method, into: &head)
        if status != .needMore { return (status, head) }
    }
    return (parser.parse(input, requestMethod: method, into: &head), head)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    for method in [HTTPMethod.get, .head] {
        let whole = parse(input, method: method, cut: nil)
        if size > 1 {
            let cut = (Int(data[0]) << 8 | Int(data[size - 1])) % size
            let split = parse(input, method: method, cut: cut)
            guard split.status == whole.status else {
                violated("whole gives \(whole.status), split at \(cut) gives \(split.status)")
            }
            guard whole.status != .complete || split.head == whole.head else {
                violated("whole and split at \(cut) parse different heads")
            }
        }
        guard whole.status == .complete else { continue }
        let head = whole.head
        guard head.headLength <= size else { violated("consumed \(head.headLength) > input \(size)") }
        for field in head.headers where field.name.upperBound > head.headLength || field.value.upperBound > head.headLength {
            violated("a header range lies outside the head")
        }
        if case .untilClose = head.framing, head.keepAlive {
            violated("a body delimited by close cannot keep the connection alive")
        }
    }
    return 0
}
