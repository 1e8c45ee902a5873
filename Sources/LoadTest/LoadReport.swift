import Histogram
import JSON

/// The outcome of a run: counts merged across workers, latency percentiles, and the expectation check per token class.
public struct LoadReport: Sendable {
    public struct ClassResult: Sendable, Equatable {
        public var tokenClass: TokenClass
        public var completed: UInt64
        public var mismatches: UInt64
        /// Status → count, ascending by status.
        public var statuses: [(status: Int, count: UInt64)]

        public static func == (a: ClassResult, b: ClassResult) -> Bool {
            a.tokenClass == b.tokenClass && a.completed == b.completed && a.mismatches == b.mismatches
                && a.statuses.map(\.status) == b.statuses.map(\.status) && a.statuses.map(\.count) == b.statuses.map(\.count)
        }
    }

    public let url: String
    public let method: String
    public let pathCount: Int
    public let connections: Int
    public let threads: Int
    public let durationSeconds: Double
    public let rate: Int?
    public let allow429: Bool
    public let elapsedSeconds: Double
    public let counts: LoadCounts
    /// Status → count, ascending by status.
    public let statuses: [(status: Int, count: UInt64)]
    /// One entry per class of the mix, in the mix's order.
    public let classes: [ClassResult]

    /// Percentiles the summary, the JSON and the page show.
    public static let summaryPercentiles: [Double] = [50, 90, 99, 99.9]

    public init(plan: LoadPlan, counts: LoadCounts, elapsedSeconds: Double) {
        url = "http://\(plan.target.authority)\(plan.target.path)"
        method = plan.catalog.method
        pathCount = plan.catalog.pathCount
        connections = plan.connections
        threads = plan.threads
        durationSeconds = Double(plan.duration.nanoseconds) / 1e9
        rate = plan.rate
        allow429 = plan.allow429
        self.elapsedSeconds = elapsedSeconds
        self.counts = counts
        statuses = Self.nonZero(counts.statuses[...])
        let slots = LoadCounts.statusSlots
        classes = plan.catalog.mix.classes.map { c in
            let i = c.rawValue
            return ClassResult(
                tokenClass: c, completed: counts.classCompleted[i], mismatches: counts.classMismatched[i],
                statuses: Self.nonZero(counts.classStatuses[(i * slots)..<((i + 1) * slots)]))
        }
    }

    private static func nonZero(_ slice: ArraySlice<UInt64>) -> [(status: Int, count: UInt64)] {
        slice.indices.compactMap { i in slice[i] > 0 ? (status: i - slice.startIndex, count: slice[i]) : nil }
    }

    public var mode: String { rate == nil ? "closed-loop" : "open-loop" }
    public var mismatches: UInt64 { classes.reduce(0) { $0 + $1.mismatches } }
    public var requestsPerSecond: Double { elapsedSeconds > 0 ? Double(counts.completed) / elapsedSeconds : 0 }
    /// Whether the run proves what it claims: every class got its expected answer.
    public var passed: Bool { mismatches == 0 }

    public func latencyNanos(atPercentile p: Double) -> UInt64 { counts.latency.valueAtPercentile(p) }

    /// The percentile curve (percentile, nanoseconds) as HdrHistogram plots it, ending at the maximum.
    public var percentileCurve: [(percentile: Double, nanos: UInt64)] {
        guard counts.latency.totalCount > 0 else { return [] }
        var points: [(percentile: Double, nanos: UInt64)] = []
        for v in counts.latency.percentiles(ticksPerHalfDistance: 5) {
            let p = v.percentileLevelIteratedTo
            if p >= 100 { break }
            points.append((p, v.value))
        }
        points.append((100, counts.latency.max))
        return points
    }

    // MARK: JSON

    public func json() -> JSONValue {
        func int(_ n: UInt64) -> JSONValue { .number(JSONNumber(Int64(clamping: n))) }
        func num(_ d: Double) -> JSONValue { JSONNumber(d).map(JSONValue.number) ?? .null }
        func ms(_ nanos: UInt64) -> JSONValue { num((Double(nanos) / 1e3).rounded() / 1e3) }
        func statusObject(_ list: [(status: Int, count: UInt64)]) -> JSONValue {
            .object(JSONObject(members: list.map { (key: String($0.status), value: int($0.count)) }))
        }
        let h = counts.latency
        var latency = JSONObject()
        latency["mean"] = num((h.mean / 1e3).rounded() / 1e3)
        for p in Self.summaryPercentiles { latency["p" + Format.percentile(p)] = ms(h.valueAtPercentile(p)) }
        latency["max"] = ms(h.max)
        latency["percentiles"] = .array(percentileCurve.map { .array([num($0.percentile), ms($0.nanos)]) })

        var errors = JSONObject()
        errors["connect"] = int(counts.connectErrors)
        errors["io"] = int(counts.ioErrors)
        errors["timeout"] = int(counts.timeouts)
        errors["invalid_response"] = int(counts.invalidResponses)
        errors["total"] = int(counts.errors)

        var root = JSONObject()
        root["url"] = .string(url)
        root["method"] = .string(method)
        root["paths"] = .number(JSONNumber(Int64(pathCount)))
        root["mode"] = .string(mode)
        root["rate"] = rate.map { .number(JSONNumber(Int64($0))) } ?? .null
        root["connections"] = .number(JSONNumber(Int64(connections)))
        root["threads"] = .number(JSONNumber(Int64(threads)))
        root["duration_seconds"] = num(durationSeconds)
        root["elapsed_seconds"] = num(elapsedSeconds)
        root["requests"] = .object(JSONObject(members: [
            ("completed", int(counts.completed)), ("per_second", num((requestsPerSecond * 10).rounded() / 10)),
            ("unsent", int(counts.unsent)),
        ]))
        root["bytes"] = .object(JSONObject(members: [("read", int(counts.bytesRead)), ("written", int(counts.bytesWritten))]))
        root["errors"] = .object(errors)
        root["status"] = statusObject(statuses)
        root["latency_ms"] = .object(latency)
        root["allow_429"] = .bool(allow429)
        root["tokens"] = .array(classes.map { c in
            .object(JSONObject(members: [
                ("class", .string(c.tokenClass.name)), ("expected", .string(c.tokenClass.expectation)),
                ("completed", int(c.completed)), ("mismatches", int(c.mismatches)), ("status", statusObject(c.statuses)),
            ]))
        })
        root["mismatches"] = int(mismatches)
        return .object(root)
    }

    // MARK: text

    /// The summary printed at the end of `gateway load`.
    public var text: String {
        var lines: [String] = []
        let modeText = rate.map { "open loop at \($0) req/s" } ?? "closed loop"
        lines.append("\(method) \(url)\(pathCount > 1 ? " (+\(pathCount - 1) more paths)" : "")")
        lines.append("  \(connections) connections, \(threads) threads, \(Format.fixed(durationSeconds, 1))s, \(modeText)")
        lines.append("  requests   \(counts.completed) in \(Format.fixed(elapsedSeconds, 2))s = \(Format.fixed(requestsPerSecond, 1)) req/s"
            + (counts.unsent > 0 ? " (\(counts.unsent) due but unsent: the target could not keep up)" : ""))
        lines.append("  bytes      \(Format.bytes(counts.bytesRead)) read, \(Format.bytes(counts.bytesWritten)) written")
        let h = counts.latency
        var latency = "  latency    mean \(Format.millis(UInt64(h.mean)))"
        for p in Self.summaryPercentiles { latency += "  p\(Format.percentile(p)) \(Format.millis(h.valueAtPercentile(p)))" }
        latency += "  max \(Format.millis(h.max))"
        lines.append(latency)
        lines.append("  status     " + (statuses.isEmpty ? "none" : statuses.map { "\($0.status): \($0.count)" }.joined(separator: "  ")))
        lines.append("  errors     \(counts.errors) (connect \(counts.connectErrors), io \(counts.ioErrors), "
            + "timeout \(counts.timeouts), invalid response \(counts.invalidResponses))")
        if classes.contains(where: { $0.tokenClass != .unchecked }) {
            lines.append("  tokens" + (allow429 ? " (429 accepted for every class)" : ""))
            for c in classes {
                let detail = c.statuses.map { "\($0.status): \($0.count)" }.joined(separator: "  ")
                let name = c.tokenClass.name.padding(15)
                lines.append("    \(name)expect \(c.tokenClass.expectation.padding(4)) \(c.completed) done, \(c.mismatches) mismatched   [\(detail)]")
            }
            lines.append(passed ? "  result     every response matched its token class" : "  result     \(mismatches) MISMATCHES")
        }
        return lines.joined(separator: "\n")
    }
}

extension Format {
    /// "50", "99.9": percentiles without trailing zeros.
    static func percentile(_ p: Double) -> String {
        p == p.rounded() ? String(Int(p)) : String(p)
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
