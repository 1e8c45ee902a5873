import Glibc

/// A fixed-capacity byte buffer with a read and a write index, owned by one connection at a time and
/// handed back to its worker's `BufferPool` when the connection goes idle, so that idle keep-alive
/// connections hold no buffer memory.
public final class ByteBuffer {
    public private(set) var base: UnsafeMutableRawPointer
    public private(set) var capacity: Int
    public var readIndex = 0
    public var writeIndex = 0

    public init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    @inline(__always) public var readableCount: Int { writeIndex - readIndex }
    @inline(__always) public var writableCount: Int { capacity - writeIndex }
    @inline(__always) public var isEmpty: Bool { readIndex == writeIndex }

    @inline(__always)
    public var readable: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + readIndex, count: writeIndex - readIndex)
    }

    @inline(__always)
    public var writable: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: base + writeIndex, count: capacity - writeIndex)
    }

    @inline(__always)
    public func consume(_ n: Int) {
        readIndex += n
        if readIndex == writeIndex {
            readIndex = 0
            writeIndex = 0
        }
    }

    public func clear() {
        readIndex = 0
        writeIndex = 0
    }

    /// Moves the unread bytes to the front so that `writable` is as large as it can be.
    public func compact() {
        guard readIndex > 0 else { return }
        let n = readableCount
        if n > 0 { memmove(base, base + readIndex, n) }
        readIndex = 0
        writeIndex = n
    }

    /// Grows the buffer (keeping its content) to at least `minCapacity` bytes.
    public func grow(to minCapacity: Int) {
        guard minCapacity > capacity else { return }
        let nb = UnsafeMutableRawPointer.allocate(byteCount: minCapacity, alignment: 16)
        let n = readableCount
        if n > 0 { nb.copyMemory(from: base + readIndex, byteCount: n) }
        base.deallocate()
        base = nb
        capacity = minCapacity
        readIndex = 0
        writeIndex = n
    }

    /// Appends all of `bytes`, growing the buffer if they do not fit: a buffer never drops bytes silently
    /// (a cut-short request head would let the body be read as headers). Callers that must stay within
    /// the pooled size check `writableCount` first; a grown buffer is not taken back by its pool.
    @discardableResult
    @inline(__always)
    public func append(_ bytes: UnsafeRawBufferPointer) -> Int {
        let n = bytes.count
        if n > capacity - writeIndex { makeRoom(n) }
        if n > 0, let src = bytes.baseAddress { (base + writeIndex).copyMemory(from: src, byteCount: n) }
        writeIndex += n
        return n
    }

    /// Makes room for `n` more bytes: compacts, then grows if that is not enough.
    @inline(never)
    func makeRoom(_ n: Int) {
        compact()
        if n > capacity - writeIndex { grow(to: max(capacity * 2, writeIndex + n)) }
    }

    @discardableResult
    public func append(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { append($0) }
    }

    @discardableResult
    public func append(_ s: StaticString) -> Int {
        append(UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Disfavoured so that string literals pick the `StaticString` overload, which copies without
    /// bridging through String's UTF-8 view.
    @_disfavoredOverload
    @discardableResult
    public func append(_ s: String) -> Int {
        var s = s
        return s.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    @inline(__always)
    public func append(byte: UInt8) {
        if writeIndex >= capacity { makeRoom(1) }
        base.storeBytes(of: byte, toByteOffset: writeIndex, as: UInt8.self)
        writeIndex += 1
    }

    /// Appends `n` in decimal.
    public func appendDecimal(_ n: Int) {
        var v = n
        if v < 0 {
            append(byte: UInt8(ascii: "-"))
            v = -v
        }
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch on the stack
        withUnsafeMutableBytes(of: &tmp) { t in
            var i = t.count
            repeat {
                i -= 1
                t[i] = UInt8(ascii: "0") &+ UInt8(v % 10)
                v /= 10
            } while v > 0 && i > 0
            append(UnsafeRawBufferPointer(rebasing: t[i...]))
        }
    }

    /// Appends `n` in lower-case hexadecimal (chunk sizes).
    public func appendHex(_ n: Int) {
        let digits: StaticString = "0123456789abcdef"
        var shift = 60
        while shift > 0 && (n >> shift) & 0xF == 0 { shift -= 4 }
        while shift >= 0 {
            append(byte: digits.utf8Start[(n >> shift) & 0xF])
            shift -= 4
        }
    }
}

/// A worker's free list of equally sized buffers. Not thread-safe: one pool per worker.
public final class BufferPool {
    public let bufferSize: Int
    private var free: [ByteBuffer] = []
    private let maxFree: Int

    public init(bufferSize: Int, maxFree: Int = 256) {
        self.bufferSize = bufferSize
        self.maxFree = maxFree
        free.reserveCapacity(maxFree)
    }

    @inline(__always)
    public func take() -> ByteBuffer {
        if let b = free.popLast() { return b }
        return ByteBuffer(capacity: bufferSize)
    }

    /// Returns a buffer; buffers grown beyond the pool size are dropped (they were for rare large heads).
    @inline(__always)
    public func give(_ b: ByteBuffer) {
        guard b.capacity == bufferSize, free.count < maxFree else { return }
        b.clear()
        free.append(b)
    }
}
