/// Prometheus text exposition format 0.0.4: `# HELP` and `# TYPE` once per family, then one line per sample;
/// label values escaped (`\`, `"`, newline); histograms as cumulative `_bucket{le}` lines ending in `+Inf`,
/// then `_sum` and `_count`.
public struct PrometheusText: Sendable {
    public enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    public private(set) var bytes: [UInt8] = []

    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public init() {}

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Starts a metric family: its help text (backslashes and newlines escaped) and type.
    public mutating func family(_ name: String, _ kind: Kind, help: String) {
        append("# HELP ")
        append(name)
        bytes.append(0x20)
        for b in help.utf8 {
            switch b {
            case UInt8(ascii: "\\"): append("\\\\")
            case 0x0A: append("\\n")
            default: bytes.append(b)
            }
        }
        append("\n# TYPE ")
        append(name)
        bytes.append(0x20)
        append(kind.rawValue)
        bytes.append(0x0A)
    }

    public mutating func sample(_ name: String, labels: [(String, String)] = [], _ value: UInt64) {
        head(name, labels)
        append(String(value))
        bytes.append(0x0A)
    }

    public mutating func sample(_ name: String, labels: [(String, String)] = [], _ value: Int) {
        head(name, labels)
        append(String(value))
        bytes.append(0x0A)
    }

    public mutating func sample(_ name: String, labels: [(String, String)] = [], _ value: Double) {
        head(name, labels)
        append(Self.format(value))
        bytes.append(0x0A)
    }

    /// One histogram series: `counts` per bucket (not cumulative), one more than `bounds` (the last is +Inf).
    public mutating func histogram(_ name: String, _ labels: [(String, String)], bounds: [Double], counts: [UInt64], sum: Double) {
        var cumulative: UInt64 = 0
        for i in 0...bounds.count {
            cumulative &+= i < counts.count ? counts[i] : 0
            let le = i < bounds.count ? Self.format(bounds[i]) : "+Inf"
            sample(name + "_bucket", labels: labels + [("le", le)], cumulative)
        }
        sample(name + "_sum", labels: labels, sum)
        sample(name + "_count", labels: labels, cumulative)
    }

    /// Integral values without a fraction ("1", not "1.0", as other exporters write `le`), others as Swift's
    /// shortest round-tripping form, which Prometheus parses (Go's ParseFloat syntax).
    public static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Inf" : "+Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return v.description
    }

    private mutating func head(_ name: String, _ labels: [(String, String)]) {
        append(name)
        if !labels.isEmpty {
            bytes.append(UInt8(ascii: "{"))
            for (i, (key, value)) in labels.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                append(key)
                append("=\"")
                for b in value.utf8 {
                    switch b {
                    case UInt8(ascii: "\\"): append("\\\\")
                    case UInt8(ascii: "\""): append("\\\"")
                    case 0x0A: append("\\n")
                    default: bytes.append(b)
                    }
                }
                bytes.append(UInt8(ascii: "\""))
            }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(0x20)
    }

    private mutating func append(_ s: String) {
        bytes.append(contentsOf: s.utf8)
    }
}
