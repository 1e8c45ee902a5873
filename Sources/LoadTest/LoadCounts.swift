import Histogram

/// One worker's tallies; merged across workers at the end. Flat arrays indexed by status and token class, so
/// counting a response touches no dictionary and allocates nothing.
public struct LoadCounts: Sendable {
    /// Latency in nanoseconds.
    public var latency: Histogram<UInt64>
    /// Indexed by status code (100...599); other slots stay zero.
    public var statuses: [UInt64]
    /// Indexed by `TokenClass.rawValue * 600 + status`.
    public var classStatuses: [UInt64]
    public var classCompleted: [UInt64]
    public var classMismatched: [UInt64]
    public var completed: UInt64 = 0
    public var bytesRead: UInt64 = 0
    public var bytesWritten: UInt64 = 0
    /// connect() failed or did not complete.
    public var connectErrors: UInt64 = 0
    /// Reset, read/write error or close with a request in flight.
    public var ioErrors: UInt64 = 0
    public var timeouts: UInt64 = 0
    /// A response the strict parser refused (the connection is closed).
    public var invalidResponses: UInt64 = 0
    /// Open loop only: requests whose send time had come when the run ended but that no connection was free to send.
    public var unsent: UInt64 = 0

    /// Values above an hour are recorded as an hour: latencies that long mean the run is broken anyway.
    public static let maxLatencyNanos: UInt64 = 3_600_000_000_000

    static let statusSlots = 600

    public init() {
        latency = Histogram(lowestDiscernibleValue: 1, highestTrackableValue: Self.maxLatencyNanos, numberOfSignificantValueDigits: .three)
        statuses = Array(repeating: 0, count: Self.statusSlots)
        classStatuses = Array(repeating: 0, count: Self.statusSlots * TokenClass.allCases.count)
        classCompleted = Array(repeating: 0, count: TokenClass.allCases.count)
        classMismatched = Array(repeating: 0, count: TokenClass.allCases.count)
    }

    public var errors: UInt64 { connectErrors + ioErrors + timeouts + invalidResponses }

    /// Counts one complete response.
    @inline(__always)
    public mutating func record(status: Int, tokenClass: TokenClass, latencyNanos: UInt64, allow429: Bool) {
        completed &+= 1
        let s = status >= 100 && status < Self.statusSlots ? status : 0
        statuses[s] &+= 1
        let c = tokenClass.rawValue
        classCompleted[c] &+= 1
        classStatuses[c * Self.statusSlots + s] &+= 1
        if !tokenClass.accepts(status: status, allow429: allow429) { classMismatched[c] &+= 1 }
        latency.record(min(latencyNanos, Self.maxLatencyNanos))
    }

    public mutating func merge(_ other: LoadCounts) {
        latency.add(other.latency)
        for i in statuses.indices { statuses[i] &+= other.statuses[i] }
        for i in classStatuses.indices { classStatuses[i] &+= other.classStatuses[i] }
        for i in classCompleted.indices {
            classCompleted[i] &+= other.classCompleted[i]
            classMismatched[i] &+= other.classMismatched[i]
        }
        completed &+= other.completed
        bytesRead &+= other.bytesRead
        bytesWritten &+= other.bytesWritten
        connectErrors &+= other.connectErrors
        ioErrors &+= other.ioErrors
        timeouts &+= other.timeouts
        invalidResponses &+= other.invalidResponses
        unsent &+= other.unsent
    }
}
