import ArgumentParser
import Glibc
import JSON
import JWT
import RateLimit

/// Hidden micro-benchmarks for scripts/bench-jwt.sh: the real verifier and limiter, on the calling thread
/// (pin it with taskset), each measurement bounded by `--seconds`.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Micro-benchmarks of token verification, rate limiting, the revocation check and login hashing.",
        shouldDisplay: false,
        subcommands: [JWTBenchCommand.self, RateLimitBenchCommand.self, RevocationBenchCommand.self, LoginBenchCommand.self])
}

struct BenchOptions: ParsableArguments {
    @Option(help: "Seconds per measurement (0.1 to 30).")
    var seconds: Double = 1

    func validate() throws {
        guard seconds.isFinite, seconds >= 0.1, seconds <= 30 else {
            throw ValidationError("--seconds must be between 0.1 and 30")
        }
    }
}

struct JWTBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jwt",
        abstract: "Verifications per second on one thread for HS256, RS256 (2048), ES256 and EdDSA, cached and uncached.")

    @OptionGroup var options: BenchOptions

    func run() throws {
        let now = Int64(time(nil))
        printOut("token verification, one thread, \(options.seconds) s per row, per second of CPU time")
        printOut("(cached: the same token again; uncached: cache capacity 0, the full check every time)")
        printOut(pad("alg", 8) + pad("cached/s", 14) + pad("uncached/s", 14) + pad("uncached µs/op", 16) + "cpu share")
        for (algorithm, signer) in try BenchKeys.signers() {
            let verification: VerificationKey
            let token: [UInt8]
            do throws(KeyError) {
                verification = try signer.publicKey()
                var claims = JSONObject()
                claims["iss"] = .string(BenchKeys.issuer)
                claims["sub"] = "bench"
                claims["roles"] = ["reader", "editor"]
                claims["iat"] = .number(JSONNumber(now))
                claims["exp"] = .number(JSONNumber(now + 3600))
                token = Array(try TokenSigner.sign(claims: claims, key: signer).utf8)
            } catch {
                printError("gateway bench jwt: \(algorithm.rawValue): \(error.message)")
                throw ExitCode(1)
            }
            let issuers = IssuerSet([IssuerProfile(name: "bench", issuer: BenchKeys.issuer, keys: [verification])])
            let cached = TokenVerifier(issuers: issuers)
            let uncached = TokenVerifier(issuers: issuers, cacheCapacity: 0)
            let hot = BenchTimer.run(seconds: options.seconds) {
                token.withUnsafeBytes { cached.verify($0, now: now) }.isSuccess
            }
            let cold = BenchTimer.run(seconds: options.seconds) {
                token.withUnsafeBytes { uncached.verify($0, now: now) }.isSuccess
            }
            // A benchmark of failing verifications would measure the wrong thing.
            guard hot.failures == 0, cold.failures == 0, cached.cacheHits > 0, uncached.cacheHits == 0 else {
                printError("gateway bench jwt: \(algorithm.rawValue) verification failed or the cache misbehaved")
                throw ExitCode(1)
            }
            printOut(
                pad(algorithm.rawValue, 8) + pad(format(hot.perCPUSecond, 0), 14) + pad(format(cold.perCPUSecond, 0), 14)
                    + pad(format(1e6 / cold.perCPUSecond, 2), 16) + format(min(hot.cpuShare, cold.cpuShare) * 100, 0) + "%")
        }
    }
}

struct RateLimitBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ratelimit",
        abstract: "Nanoseconds per limiter take for 1 and 2 threads, on one key and on random keys.")

    @OptionGroup var options: BenchOptions

    func run() throws {
        printOut("rate limiter take (100/s, burst 100), \(options.seconds) s per row")
        printOut(pad("threads", 9) + pad("keys", 8) + pad("ns/op", 10) + "takes/s per thread")
        let rows: [(Int, RateLimitBenchmark.Keys, String)] = [(1, .one, "one"), (1, .random, "random"), (2, .one, "one"), (2, .random, "random")]
        for (threads, keys, name) in rows {
            let r = RateLimitBenchmark.run(threads: threads, keys: keys, seconds: options.seconds)
            printOut(pad("\(threads)", 9) + pad(name, 8) + pad(format(r.nsPerOp, 1), 10) + format(Double(r.opsPerThread) / options.seconds, 0))
        }
    }
}

/// Runs `body` until `seconds` of wall time pass, reading the clocks every 16 calls so they do not dominate
/// a 100 ns operation. Rates are per second of this thread's CPU time, as `openssl speed` reports by default,
/// so a busy machine slows the run but does not skew the comparison; `cpuShare` shows how busy it was.
enum BenchTimer {
    struct Rate {
        var perCPUSecond: Double
        var cpuShare: Double
        var failures: Int
    }

    static func run(seconds: Double, _ body: () -> Bool) -> Rate {
        let wallStart = nanoseconds(CLOCK_MONOTONIC)
        let cpuStart = nanoseconds(CLOCK_THREAD_CPUTIME_ID)
        let deadline = wallStart + UInt64(seconds * 1e9)
        var ops = 0
        var failures = 0
        var now = wallStart
        while now < deadline {
            for _ in 0..<16 where !body() { failures += 1 }
            ops += 16
            now = nanoseconds(CLOCK_MONOTONIC)
        }
        let cpu = Double(max(nanoseconds(CLOCK_THREAD_CPUTIME_ID) - cpuStart, 1))
        return Rate(perCPUSecond: Double(ops) / (cpu / 1e9), cpuShare: cpu / Double(max(now - wallStart, 1)), failures: failures)
    }

    private static func nanoseconds(_ clock: clockid_t) -> UInt64 {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}

/// Keys generated fresh for each benchmark run: they sign nothing but the benchmark's own tokens.
enum BenchKeys {
    static let issuer = "https://bench.invalid"

    static func signers() throws -> [(Algorithm, SigningKey)] {
        do throws(KeyError) {
            return try [Algorithm.HS256, .RS256, .ES256, .EdDSA].map { alg throws(KeyError) in
                (alg, try KeyGenerator.signingKey(alg))
            }
        } catch {
            printError("gateway bench jwt: cannot generate a bench key: \(error.message)")
            throw ExitCode(1)
        }
    }
}

/// `s` padded with spaces to `width` columns.
func pad(_ s: String, _ width: Int) -> String {
    let n = s.count
    return n >= width ? s + " " : s + String(repeating: " ", count: width - n)
}

/// `value` with `decimals` digits after the point, rounded half away from zero.
func format(_ value: Double, _ decimals: Int) -> String {
    guard value.isFinite else { return "-" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9e18 else { return String(value) }
    let whole = UInt64(scaled) / UInt64(scale)
    let frac = UInt64(scaled) % UInt64(scale)
    var s = value < 0 ? "-" : ""
    s += String(whole)
    if decimals > 0 {
        let f = String(frac)
        s += "." + String(repeating: "0", count: decimals - f.count) + f
    }
    return s
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
