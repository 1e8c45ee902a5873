import EventLoop
import Glibc
import TLS

/// A session's reads and writes as the socket results the connections already switch on, so the TLS path
/// is one branch at the call and the code after it is shared with plain HTTP.
extension TLSSession {
    @inline(__always)
    func socketRead(into buffer: UnsafeMutableRawBufferPointer) -> Socket.IOResult {
        switch read(into: buffer) {
        case .bytes(let n): return .bytes(n)
        case .wantRead: return .wouldBlock
        // OpenSSL must write before it can read on (a TLS 1.3 key update): nothing read, and the caller's
        // `readReady` stays set (only `.wouldBlock` clears it), so the next event, a writable one too, retries.
        case .wantWrite: return .bytes(0)
        case .closed: return .closed
        case .failed: return .failed(EPROTO)
        }
    }

    @inline(__always)
    func socketWrite(from buffer: UnsafeRawBufferPointer) -> Socket.IOResult {
        switch write(from: buffer) {
        case .bytes(let n): return .bytes(n)
        // A write that must read first happens only during renegotiation, which both contexts disable; if it
        // ever did, the connection's write deadline still ends it.
        case .wantWrite, .wantRead: return .wouldBlock
        case .closed, .failed: return .failed(EPROTO)
        }
    }

    /// After a complete response: whether anything at all follows it (application bytes, a close, an error).
    /// Costs one read; post-handshake messages (a session ticket) are consumed and count as nothing.
    func hasTrailingInput() -> Bool {
        var probe: UInt8 = 0
        let result = withUnsafeMutableBytes(of: &probe) { read(into: $0) }
        if case .wantRead = result { return false }
        return true
    }
}
