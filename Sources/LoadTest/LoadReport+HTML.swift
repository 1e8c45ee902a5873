import Glibc

/// A self-contained page: the numbers and the latency-by-percentile curve as inline SVG, with the percentile axis
/// logarithmic in 1/(1-p) as HdrHistogram plots it, so the tail (99%, 99.9%, ...) gets as much room as the median.
extension LoadReport {
    public func html() -> String {
        var rows: [(String, String)] = [
            ("target", "\(method) \(url)" + (pathCount > 1 ? " (+\(pathCount - 1) paths)" : "")),
            ("mode", rate.map { "open loop, \($0) req/s" } ?? "closed loop"),
            ("connections / threads", "\(connections) / \(threads)"),
            ("requests", "\(counts.completed) in \(Format.fixed(elapsedSeconds, 2)) s"),
            ("throughput", "\(Format.fixed(requestsPerSecond, 1)) req/s"),
            ("bytes read / written", "\(Format.bytes(counts.bytesRead)) / \(Format.bytes(counts.bytesWritten))"),
        ]
        for p in Self.summaryPercentiles { rows.append(("p\(Format.percentile(p))", Format.millis(latencyNanos(atPercentile: p)))) }
        rows.append(("max", Format.millis(counts.latency.max)))
        rows.append(("status", statuses.map { "\($0.status): \($0.count)" }.joined(separator: ", ")))
        rows.append((
            "errors",
            "\(counts.errors) (connect \(counts.connectErrors), io \(counts.ioErrors), timeout \(counts.timeouts), "
                + "invalid \(counts.invalidResponses))"
        ))
        if counts.unsent > 0 { rows.append(("due but unsent", "\(counts.unsent)")) }

        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>gateway load: \(escape(url))</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2em;color:#222}
            table{border-collapse:collapse;margin:1em 0}td,th{padding:.25em .8em;border-bottom:1px solid #ddd;text-align:left}
            td.n{text-align:right;font-variant-numeric:tabular-nums}.bad{color:#b00020;font-weight:bold}
            svg text{font-size:12px;fill:#444}
            </style></head><body>
            <h1>gateway load</h1>
            <table>
            """
        for (k, v) in rows { page += "<tr><th>\(escape(k))</th><td>\(escape(v))</td></tr>\n" }
        page += "</table>\n"
        if classes.contains(where: { $0.tokenClass != .unchecked }) {
            page += "<h2>Token classes</h2>\n<table><tr><th>class</th><th>expected</th><th>done</th><th>mismatches</th><th>statuses</th></tr>\n"
            for c in classes {
                let statusText = c.statuses.map { "\($0.status): \($0.count)" }.joined(separator: ", ")
                page += "<tr><td>\(c.tokenClass.name)</td><td>\(c.tokenClass.expectation)</td><td class=\"n\">\(c.completed)</td>"
                page += "<td class=\"n\(c.mismatches > 0 ? " bad" : "")\">\(c.mismatches)</td><td>\(statusText)</td></tr>\n"
            }
            page += "</table>\n"
        }
        page += "<h2>Latency by percentile</h2>\n" + chart() + "\n</body></html>\n"
        return page
    }

    /// The SVG chart; x is log10(1/(1-p)) so 90%, 99%, 99.9% are evenly spaced.
    func chart() -> String {
        let width = 800.0, height = 400.0, left = 70.0, right = 20.0, top = 20.0, bottom = 50.0
        let curve = percentileCurve
        let tail = curve.last(where: { $0.percentile < 100 })?.percentile ?? 99
        let decades = min(6.0, max(3.0, (Self.logX(tail)).rounded(.up)))
        let maxMillis = max(Double(curve.map(\.nanos).max() ?? 0) / 1e6, 0.001) * 1.05
        func x(_ p: Double) -> Double { left + min(Self.logX(p), decades) / decades * (width - left - right) }
        func y(_ ms: Double) -> Double { top + (1 - ms / maxMillis) * (height - top - bottom) }

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">\n"
        svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(width - left - right)\" height=\"\(height - top - bottom)\" fill=\"none\" stroke=\"#999\"/>\n"
        for d in 0...Int(decades) {
            let p = 100 * (1 - 1 / pow10(d))
            let px = Format.fixed(x(p), 1)
            svg += "<line x1=\"\(px)\" y1=\"\(top)\" x2=\"\(px)\" y2=\"\(height - bottom)\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(px)\" y=\"\(height - bottom + 18)\" text-anchor=\"middle\">\(Self.percentLabel(d))</text>\n"
        }
        for i in 0...4 {
            let ms = maxMillis * Double(i) / 4
            let py = Format.fixed(y(ms), 1)
            svg += "<line x1=\"\(left)\" y1=\"\(py)\" x2=\"\(width - right)\" y2=\"\(py)\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(py)\" text-anchor=\"end\" dominant-baseline=\"middle\">\(Format.fixed(ms, 3))</text>\n"
        }
        svg += "<text x=\"\((left + width - right) / 2)\" y=\"\(height - 8)\" text-anchor=\"middle\">percentile</text>"
        svg += "<text x=\"14\" y=\"\((top + height - bottom) / 2)\" text-anchor=\"middle\" transform=\"rotate(-90 14 \((top + height - bottom) / 2))\">latency (ms)</text>\n"
        let points = curve.map { "\(Format.fixed(x($0.percentile), 1)),\(Format.fixed(y(Double($0.nanos) / 1e6), 1))" }
        if !points.isEmpty {
            svg += "<polyline fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>\n"
        }
        svg += "</svg>"
        return svg
    }

    /// log10(1/(1-p)); the 100th percentile sits at the right edge.
    static func logX(_ percentile: Double) -> Double {
        let rest = 1 - percentile / 100
        return rest <= 0 ? .infinity : -log10(rest)
    }

    private static func percentLabel(_ decade: Int) -> String {
        ["0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%"][decade]
    }

    private func pow10(_ d: Int) -> Double {
        var v = 1.0
        for _ in 0..<d { v *= 10 }
        return v
    }

    private func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }
}
