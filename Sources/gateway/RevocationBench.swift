import ArgumentParser
import Store
import Synchronization

struct RevocationBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revocation",
        abstract: "Nanoseconds per request of the revocation check: empty set, 1k and 100k revocations (miss), and hits.")

    @OptionGroup var options: BenchOptions

    func run() throws {
        printOut("revocation check per request, one thread, \(options.seconds) s per row, ns of CPU time per check")
        printOut("(an atomic load of the mirror's version compared with the worker's copy, then the set lookup when non-empty)")
        printOut(pad("revocations", 13) + pad("token", 18) + pad("ns/check", 10) + "cpu share")
        let empty = RevocationSet()
        let small = RevocationBenchmark.set(size: 1_000)
        let large = RevocationBenchmark.set(size: 100_000)
        let rows: [(String, RevocationSet, String, RevocationBenchmark.Probe)] = [
            ("0", empty, "any", .miss), ("1k", small, "not revoked", .miss), ("100k", large, "not revoked", .miss),
            ("100k", large, "revoked jti", .revokedJTI), ("100k", large, "revoked sub", .revokedSubject),
        ]
        for (size, set, token, probe) in rows {
            let result = RevocationBenchmark.run(set: set, probe: probe, seconds: options.seconds)
            // Every probe answers as designed, or the numbers measure some other path.
            guard result.wrongAnswers == 0 else {
                printError("gateway bench revocation: the \(size)/\(token) row got \(result.wrongAnswers) wrong answers")
                throw ExitCode(1)
            }
            printOut(pad(size, 13) + pad(token, 18) + pad(format(result.nsPerCheck, 1), 10) + format(result.cpuShare * 100, 0) + "%")
        }
    }
}

/// The check a gateway worker makes per request (Proxy's `RevocationView`), rebuilt from its parts: one atomic load
/// of the mirror's version compared with the worker's copy (the set is fetched only when it moved, never here, as
/// between two revocations in production), then, when the set is not empty, the lookup of the token's jti and sub.
enum RevocationBenchmark {
    enum Probe {
        case miss, revokedJTI, revokedSubject
    }

    struct Result {
        var nsPerCheck: Double
        var cpuShare: Double
        var wrongAnswers: Int
    }

    /// The shared side: what `RevocationMirror.version` is.
    private final class Mirror: Sendable {
        let version = Atomic<Int>(1)
    }

    /// The worker's side: its copy of the version and of the set.
    private struct WorkerView {
        var version: Int
        var set: RevocationSet

        /// The part of the check every request pays. False (nothing to look up, so the token's jti and sub are not
        /// even read) while no revocation is active.
        mutating func needsLookup(_ mirror: Mirror) -> Bool {
            let current = mirror.version.load(ordering: .acquiring)
            if current != version { version = current }
            return !set.isEmpty
        }
    }

    /// Checks per timed call: enough to hide the closure call and clock reads behind a few-ns operation.
    private static let batch = 256
    /// Distinct tokens cycled through, so no lookup can be hoisted out of the loop as loop-invariant.
    private static let tokenCount = 64
    private static let issuedAt: Int64 = 1_800_000_000

    /// `size` revocations: 99% token ids (logouts), 1% subjects (revoke --sub), all with realistic shapes.
    static func set(size: Int) -> RevocationSet {
        var set = RevocationSet()
        for i in 0..<size {
            if i % 100 == 99 {
                set.insert(Revocation(kind: .sub, value: "user-\(i)@example.com", notBefore: issuedAt + 60, expiresAt: issuedAt + 86_400))
            } else {
                set.insert(Revocation(kind: .jti, value: jti(i), notBefore: nil, expiresAt: issuedAt + 900))
            }
        }
        return set
    }

    static func run(set: RevocationSet, probe: Probe, seconds: Double) -> Result {
        // Ids and names from the same generators as the set's: beyond its range for a miss, inside it for a hit.
        let jtis = (0..<tokenCount).map { i in jti(probe == .revokedJTI ? i * 10 : 10_000_000 + i) }
        let subs = (0..<tokenCount).map { i in "user-\(probe == .revokedSubject ? i * 100 + 99 : 10_000_000 + i)@example.com" }
        let expected = probe != .miss && !set.isEmpty
        let mirror = Mirror()
        var view = WorkerView(version: 0, set: set)
        var next = 0
        var wrong = 0
        let rate = BenchTimer.run(seconds: seconds) {
            wrong += checkBatch(&view, mirror: mirror, jtis: jtis, subs: subs, next: &next, expected: expected)
            return true
        }
        return Result(nsPerCheck: 1e9 / (rate.perCPUSecond * Double(batch)), cpuShare: rate.cpuShare, wrongAnswers: wrong)
    }

    /// `batch` requests' checks; returns how many answered other than `expected`. Counting the answers keeps the
    /// optimizer from dropping the lookups as unused, and the cycling tokens keep it from hoisting them.
    @inline(never)
    private static func checkBatch(
        _ view: inout WorkerView, mirror: Mirror, jtis: [String], subs: [String], next: inout Int, expected: Bool
    ) -> Int {
        var wrong = 0
        for _ in 0..<batch {
            let revoked = view.needsLookup(mirror) && view.set.isRevoked(jti: jtis[next], sub: subs[next], issuedAt: issuedAt)
            if revoked != expected { wrong += 1 }
            next = (next + 1) & (tokenCount - 1)
        }
        return wrong
    }

    /// A 22-character base64url id, the shape of 16 random bytes (what the built-in issuer puts in `jti`), derived
    /// from `i` so the set and the probes agree without storing them twice.
    private static func jti(_ i: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var state = UInt64(truncatingIfNeeded: i) &* 0x9E37_79B9_7F4A_7C15 &+ 0x2545_F491_4F6C_DD1D
        var bytes: [UInt8] = []
        bytes.reserveCapacity(22)
        for _ in 0..<22 {
            state ^= state >> 29
            state = state &* 0xBF58_476D_1CE4_E5B9
            state ^= state >> 32
            bytes.append(alphabet[Int(state & 63)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
