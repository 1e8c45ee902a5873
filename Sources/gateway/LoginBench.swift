import ArgumentParser
import Glibc
import Store

/// The cost of one login: a scrypt verification at each cost the issuer's `password_hash.ln` may name, on
/// the calling thread (pin it with taskset). The gateway's other work per login is microseconds; the hash is
/// the whole cost, so this is logins per second per core.
struct LoginBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Password verifications (logins) per second on one core for scrypt ln 14 to 17, r=8, p=1.")

    @OptionGroup var options: BenchOptions

    func run() throws {
        printOut("scrypt password verification, one thread, \(options.seconds) s per row (r=8, p=1)")
        printOut(pad("ln", 6) + pad("memory", 10) + pad("ms/login", 12) + "logins/s per core")
        for logN in 14...17 {
            let parameters = ScryptParameters(logN: logN, r: 8, p: 1)
            let hasher: PasswordHasher
            let stored: String
            do {
                hasher = try PasswordHasher(parameters: parameters)
                stored = try hasher.hash("correct horse battery staple")
            } catch {
                printError("gateway bench login: \(error)")
                throw ExitCode(1)
            }
            let start = cpuNanoseconds()
            let deadline = start + UInt64(options.seconds * 1e9)
            var logins = 0
            var cpu = start
            // At least two, so that one slow outlier cannot be the whole measurement.
            while cpu < deadline || logins < 2 {
                guard hasher.verify("correct horse battery staple", against: stored) else {
                    printError("gateway bench login: verification failed at ln=\(logN)")
                    throw ExitCode(1)
                }
                logins += 1
                cpu = cpuNanoseconds()
            }
            let perLogin = Double(cpu - start) / Double(logins) / 1e6
            let memory = (128 * 8 * (1 << logN)) >> 20
            printOut(pad("\(logN)", 6) + pad("\(memory) MiB", 10) + pad(format(perLogin, 1), 12) + format(1000 / perLogin, 1))
        }
    }

    private func cpuNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
