import Config
import Glibc

// Property of ConfigLoader.decode: whatever the bytes, it returns a config, or at least one problem and every problem
// names where (a non-empty JSON path) and what (a non-empty message). An operator must always be told why a config
// was refused.

/// Release builds drop a precondition's message, so the violated property is written to stderr before trapping.
func violated(_ property: String) -> Never {
    var line = "property violated: \(property)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    preconditionFailure(property)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    switch ConfigLoader.decode(input, baseDirectory: "/fuzz-config-base") {
    case .success:
        break
    case .failure(let errors):
        guard !errors.problems.isEmpty else { violated("a refused config has no problem") }
        for problem in errors.problems where problem.path.isEmpty || problem.message.isEmpty {
            violated("a problem has an empty path or message: \(problem)")
        }
    }
    return 0
}
