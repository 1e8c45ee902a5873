import Glibc
import HTTP1

// Properties of PathNormalizer: a normalised path starts with "/", contains no dot segment, empty segment, raw backslash
// or encoded NUL, and normalising it again changes nothing. A route check on the normalised path is only sound if no
// spelling of a path survives normalisation in a form the upstream would read differently.

/// Release builds drop a precondition's message, so the violated property is written to stderr before trapping.
func violated(_ property: String) -> Never {
    var line = "property violated: \(property)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    preconditionFailure(property)
}

func contains(_ path: [UInt8], _ needle: String) -> Bool {
    let n = Array(needle.utf8)
    guard path.count >= n.count else { return false }
    for start in 0...(path.count - n.count) where path[start..<(start + n.count)].elementsEqual(n) { return true }
    return false
}

func hasSuffix(_ path: [UInt8], _ suffix: String) -> Bool {
    let s = Array(suffix.utf8)
    return path.count >= s.count && path[(path.count - s.count)...].elementsEqual(s)
}

func check(_ path: [UInt8], _ result: NormalizedTarget) {
    guard path.first == 0x2F else { violated("normalised path does not start with /") }
    for bad in ["/./", "/../", "//", "\\", "%00"] where contains(path, bad) {
        violated("normalised path contains \(bad)")
    }
    for bad in ["/.", "/.."] where hasSuffix(path, bad) {
        violated("normalised path ends with the dot segment \(bad)")
    }
    for b in path where b < 0x21 || b >= 0x7F || b == 0x3F || b == 0x23 {
        violated("normalised path contains the raw byte \(b)")
    }
    if contains(path, "%2F"), !result.hasEncodedSlash {
        violated("%2F in the result but hasEncodedSlash is false")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var path: [UInt8] = []
    guard case .success(let first) = PathNormalizer.normalize(UnsafeRawBufferPointer(start: data, count: size), into: &path)
    else { return 0 }
    check(path, first)
    var again: [UInt8] = []
    let second = path.withUnsafeBytes { PathNormalizer.normalize($0, into: &again) }
    guard case .success(let result) = second else { violated("a normalised path is refused: \(second)") }
    guard again == path else { violated("normalising a normalised path changed it") }
    guard result.queryStart == nil else { violated("a normalised path has a query") }
    guard result.hasEncodedSlash == contains(path, "%2F") else {
        violated("hasEncodedSlash disagrees with the normalised path")
    }
    return 0
}
