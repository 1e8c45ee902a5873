import JSON
import Testing

@testable import LoadTest

@Suite struct LoadReportTests {
    static func report(rate: Int? = nil) throws -> LoadReport {
        let target = try LoadTarget(url: "http://127.0.0.1:8080/api/secure")
        var tokens = [[String]](repeating: [], count: TokenClass.allCases.count)
        tokens[TokenClass.valid.rawValue] = ["v"]
        tokens[TokenClass.wrongRole.rawValue] = ["w"]
        let mix = try TokenMix(parsing: "valid:3,wrong-role:1,missing:1")
        let catalog = try RequestCatalog(target: target, mix: mix, tokens: TokenPool(tokens: tokens))
        let plan = try LoadPlan(target: target, catalog: catalog, connections: 4, threads: 2, duration: .seconds(2), rate: rate)
        var counts = LoadCounts()
        for i in 0..<30 { counts.record(status: 200, tokenClass: .valid, latencyNanos: UInt64(100_000 + i * 1000), allow429: false) }
        for _ in 0..<9 { counts.record(status: 403, tokenClass: .wrongRole, latencyNanos: 80_000, allow429: false) }
        counts.record(status: 200, tokenClass: .wrongRole, latencyNanos: 2_000_000, allow429: false)
        for _ in 0..<10 { counts.record(status: 401, tokenClass: .missing, latencyNanos: 50_000, allow429: false) }
        counts.bytesRead = 12345
        counts.bytesWritten = 678
        counts.timeouts = 1
        return LoadReport(plan: plan, counts: counts, elapsedSeconds: 2)
    }

    @Test func jsonShape() throws {
        let report = try Self.report()
        let text = JSONWriter.serialize(report.json())
        let root = try #require(try JSONParser.parse(text).objectValue)
        #expect(root.members.map(\.key) == [
            "url", "method", "paths", "mode", "rate", "connections", "threads", "duration_seconds", "elapsed_seconds", "requests",
            "bytes", "errors", "status", "latency_ms", "allow_429", "tokens", "mismatches",
        ])
        #expect(root["url"] == "http://127.0.0.1:8080/api/secure")
        #expect(root["mode"] == "closed-loop")
        #expect(root["rate"] == .null)
        #expect(root["threads"] == 2)
        #expect(root["requests"]?.objectValue?["completed"] == 50)
        #expect(root["requests"]?.objectValue?["per_second"] == 25)
        #expect(root["bytes"]?.objectValue?["read"] == 12345)
        #expect(root["errors"]?.objectValue?["timeout"] == 1)
        #expect(root["errors"]?.objectValue?["total"] == 1)
        #expect(root["status"] == ["200": 31, "401": 10, "403": 9])
        let latency = try #require(root["latency_ms"]?.objectValue)
        #expect(latency.members.map(\.key) == ["mean", "p50", "p90", "p99", "p99.9", "max", "percentiles"])
        // HdrHistogram reports the top of the max's bucket: within 0.1% at three significant digits.
        let max = try #require(latency["max"]?.numberValue?.double)
        #expect(max >= 2.0 && max <= 2.002)
        let curve = try #require(latency["percentiles"]?.arrayValue)
        #expect(curve.last?.arrayValue?.first == 100)
        #expect(curve.last?.arrayValue?.last?.numberValue?.double == max)
        let tokens = try #require(root["tokens"]?.arrayValue)
        #expect(tokens.count == 3)
        #expect(tokens[1] == [
            "class": "wrong-role", "expected": "403", "completed": 10, "mismatches": 1, "status": ["200": 1, "403": 9],
        ])
        #expect(tokens[2].objectValue?["class"] == "missing")
        #expect(root["mismatches"] == 1)
        #expect(!report.passed)
    }

    @Test func countsAddUp() throws {
        let report = try Self.report()
        #expect(report.statuses.reduce(0) { $0 + $1.count } == report.counts.completed)
        #expect(report.classes.reduce(0) { $0 + $1.completed } == report.counts.completed)
        for c in report.classes { #expect(c.statuses.reduce(0) { $0 + $1.count } == c.completed) }
    }

    @Test func openLoopRate() throws {
        let root = try #require(try Self.report(rate: 500).json().objectValue)
        #expect(root["mode"] == "open-loop")
        #expect(root["rate"] == 500)
    }

    @Test func textNamesMismatches() throws {
        let text = try Self.report().text
        #expect(text.contains("wrong-role     expect 403  10 done, 1 mismatched   [200: 1  403: 9]"))
        #expect(text.contains("1 MISMATCHES"))
        #expect(text.contains("status     200: 31  401: 10  403: 9"))
    }

    @Test func htmlIsSelfContainedWithALogPercentileChart() throws {
        let html = try Self.report().html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg"))
        #expect(html.contains("<polyline"))
        #expect(html.contains(">99.9%</text>"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("src="))
        #expect(html.contains("class=\"n bad\">1</td>"))
    }

    @Test(arguments: [(0.0, 0.0), (90.0, 1.0), (99.0, 2.0), (99.9, 3.0)])
    func percentileAxisIsLogarithmic(percentile: Double, x: Double) {
        #expect(abs(LoadReport.logX(percentile) - x) < 1e-9)
    }

    @Test func progressLine() {
        let p = LoadProgress(elapsedSeconds: 3.02, completed: 120_000, requestsPerSecond: 40_123.4, errors: 2, p99Nanos: 1_234_567)
        #expect(p.line == "3s  40123 req/s  120000 done  2 errors  p99 1.235ms")
    }
}
