import Glibc

/// Why a test-kit socket operation failed; a test that hits one fails with a readable reason instead of hanging.
enum TestKitError: Error, CustomStringConvertible {
    case connectFailed(errno: Int32)
    case closedByPeer
    case timedOut
    case io(errno: Int32)
    case malformed(String)

    var description: String {
        switch self {
        case .connectFailed(let e): "connect failed: \(String(cString: strerror(e)))"
        case .closedByPeer: "connection closed by peer"
        case .timedOut: "timed out waiting for bytes"
        case .io(let e): "socket error: \(String(cString: strerror(e)))"
        case .malformed(let why): "malformed HTTP: \(why)"
        }
    }
}
