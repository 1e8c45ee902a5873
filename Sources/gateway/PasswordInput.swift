import ArgumentParser
import Glibc
import Store

/// Reads a new password for `user add` and `user passwd`: the first line of stdin when asked to or when stdin is not a
/// terminal (scripts, pipes), else typed twice at the terminal with echo off. Never takes it from the command line,
/// where it would land in the shell history and in `ps` output.
enum PasswordInput {
    static func read(fromStdin: Bool, command: String) throws -> String {
        if fromStdin || isatty(STDIN_FILENO) == 0 {
            guard let line = readLine(strippingNewline: true) else {
                printError("\(command): no password on stdin")
                throw ExitCode(1)
            }
            return line
        }
        let first = try prompt("New password: ", command: command)
        // Checked before the second prompt, so a too-short password is not typed twice for nothing.
        _ = try storeCall(command) { () throws(StoreError) in try PasswordPolicy.check(first) }
        guard try prompt("Repeat the password: ", command: command) == first else {
            printError("\(command): the passwords do not match")
            throw ExitCode(1)
        }
        return first
    }

    /// One line from the terminal with echo off. The terminal's settings come back on every way out: return, error,
    /// and Ctrl-C or a kill, through the handlers `EchoGuard` installs.
    private static func prompt(_ text: String, command: String) throws -> String {
        writeError(text)
        guard let guardian = EchoGuard() else {
            printError("\(command): cannot turn off the terminal's echo; use --password-stdin")
            throw ExitCode(1)
        }
        let line = readLine(strippingNewline: true)
        guardian.restore()
        // The Enter key was not echoed either.
        writeError("\n")
        guard let line else {
            printError("\(command): no password entered")
            throw ExitCode(1)
        }
        return line
    }

    private static func writeError(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
    }
}

/// The terminal settings to put back, readable from a signal handler (which cannot capture context). Written only
/// on the main thread before the handlers are installed.
nonisolated(unsafe) private var savedTerminal = termios()

/// Turns the terminal's echo off until `restore()`; a SIGINT, SIGTERM or SIGHUP meanwhile restores it and then
/// ends the process the way that signal would have.
private struct EchoGuard {
    private static let signals = [SIGINT, SIGTERM, SIGHUP]
    private var previousHandlers: [(Int32, sighandler_t?)] = []

    init?() {
        var current = termios()
        guard tcgetattr(STDIN_FILENO, &current) == 0 else { return nil }
        savedTerminal = current
        for signal in Self.signals {
            previousHandlers.append((signal, Glibc.signal(signal) { received in
                tcsetattr(STDIN_FILENO, TCSANOW, &savedTerminal)
                Glibc.signal(received, SIG_DFL)
                raise(received)
            }))
        }
        var silent = current
        silent.c_lflag &= ~tcflag_t(ECHO)
        guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent) == 0 else {
            restore()
            return nil
        }
    }

    func restore() {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &savedTerminal)
        for (signal, handler) in previousHandlers { Glibc.signal(signal, handler) }
    }
}
