import ArgumentParser
import Config
import Glibc
import Store

struct RevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke access tokens by jti or by subject, or list the active revocations.",
        discussion: """
            Applies to tokens of every issuer: a revoked token is answered 401 token_revoked. The revocation is written \
            to the store database; a running gateway on the same database picks it up within its store.poll_interval \
            (default 1s), with no restart. Expired revocations are pruned.

            TIME is ISO-8601 UTC (2026-11-24T10:00:00Z), Unix seconds (1795514400), or relative to now (+15m, -1h, \
            +1h30m; units s, m, h, d).

            --until only needs to outlive the tokens it covers. For --jti: the token's exp (default now + 24h, longer \
            than any access token the built-in issuer signs). For --sub: the exp of the last token issued before \
            --before (default --before + the built-in issuer's refresh_ttl; at least 30 days when the config has other \
            issuers, whose token lifetimes the gateway cannot know, or no built-in issuer).

            Examples:
              gateway revoke --jti 3q2-7wEjB0mT0a1x9kYf2w --until 2026-11-24T10:15:00Z
              gateway revoke --sub kyle
              gateway revoke --list
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: "Revoke the one token with this jti.")
    var jti: String?

    @Option(help: "Revoke every token of this subject (sub) issued before --before.")
    var sub: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("With --sub: tokens issued before TIME are refused (default: now).", valueName: "TIME"))
    var before: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Keep the revocation until TIME (see the defaults below).", valueName: "TIME"))
    var until: String?

    @Flag(help: "Print the active revocations instead.")
    var list = false

    func validate() throws {
        guard [jti != nil, sub != nil, list].filter({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --jti ID, --sub NAME or --list")
        }
        if before != nil, sub == nil { throw ValidationError("--before applies to --sub only") }
        if list, until != nil { throw ValidationError("--until does not apply to --list") }
        for (flag, value) in [("--jti", jti), ("--sub", sub)] {
            guard let value else { continue }
            guard !value.isEmpty, value.utf8.count <= 1024, !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
                throw ValidationError("\(flag) must be 1 to 1024 bytes without control characters")
            }
        }
        let now = Int64(time(nil))
        for (flag, value) in [("--before", before), ("--until", until)] {
            if let value, TimeArgument.parse(value, now: now) == nil {
                throw ValidationError("\(flag) \(value): use ISO-8601 UTC (2026-11-24T10:00:00Z), Unix seconds or +15m")
            }
        }
    }

    func run() throws {
        let command = "gateway revoke"
        let location = try store.locate(command: command)
        let now = Int64(time(nil))
        if list {
            let database = try location.open(create: false, command: command)
            let active = try storeCall(command) { () throws(StoreError) in try RevocationStore(database: database).active(now: now) }
            printRevocations(active)
            return
        }
        // Every time is checked before the database is opened (and perhaps created).
        if let jti {
            let expiresAt = try timeArgument(until, now: now) ?? now + 86_400
            try requireFuture(expiresAt, now: now)
            let revocations = RevocationStore(database: try location.open(create: true, command: command))
            try storeCall(command) { () throws(StoreError) in try revocations.revoke(jti: jti, until: expiresAt) }
            printOut("revoked jti \(jti) until \(TimeArgument.format(expiresAt))")
        } else if let sub {
            let notBefore = try timeArgument(before, now: now) ?? now
            // The store keeps a subject revocation at least until its cut-off.
            let expiresAt = max(try timeArgument(until, now: now) ?? notBefore + subjectLifetime(location.config), notBefore)
            try requireFuture(expiresAt, now: now)
            let database = try location.open(create: true, command: command)
            // The built-in issuer's sessions of that subject begun before the cut-off end too: a refresh would
            // otherwise mint a token issued after it, and the session would outlive the revocation.
            let sessions = try storeCall(command) { () throws(StoreError) -> Int in
                try database.transaction { () throws(StoreError) -> Int in
                    try RevocationStore(database: database).revoke(sub: sub, notBefore: notBefore, until: expiresAt)
                    return try RefreshTokenStore(database: database).revokeFamilies(username: sub, createdBefore: notBefore, now: now)
                }
            }
            printOut(
                "revoked sub \(sub): tokens issued before \(TimeArgument.format(notBefore)), until \(TimeArgument.format(expiresAt))"
                    + (sessions > 0 ? "; \(sessions) refresh session\(sessions == 1 ? "" : "s") ended" : ""))
        }
        printError("\(command): written to \(location.path); a running gateway picks it up within \(pollNote(location.config))")
    }

    /// A revocation that has already expired would be pruned at once and protect nothing.
    private func requireFuture(_ expiresAt: Int64, now: Int64) throws {
        guard expiresAt > now else {
            throw usageError("gateway revoke", "--until \(TimeArgument.format(expiresAt)) is not in the future")
        }
    }

    private func timeArgument(_ text: String?, now: Int64) throws -> Int64? {
        guard let text else { return nil }
        guard let value = TimeArgument.parse(text, now: now) else { throw usageError("gateway revoke", "invalid TIME \(text)") }
        return value
    }

    /// How long a subject revocation must last: past the exp of every token issued before it. The built-in issuer's
    /// tokens die within its refresh_ttl (access tokens much sooner); other issuers' lifetimes are unknown here, so
    /// they get a generous 30 days. Longer only costs one entry in memory until it is pruned.
    private func subjectLifetime(_ config: GatewayConfig?) -> Int64 {
        let unknownIssuers: Int64 = 30 * 86_400
        guard let config, let refresh = config.issuerRefreshSeconds else { return unknownIssuers }
        return config.issuers.isEmpty ? refresh : max(refresh, unknownIssuers)
    }

    private func pollNote(_ config: GatewayConfig?) -> String {
        guard let interval = config?.revocationPollInterval else { return "its store.poll_interval (default 1s)" }
        let ms = interval.components.seconds * 1000 + interval.components.attoseconds / 1_000_000_000_000_000
        return ms % 1000 == 0 ? "\(ms / 1000)s (store.poll_interval)" : "\(ms)ms (store.poll_interval)"
    }

    private func printRevocations(_ revocations: [Revocation]) {
        let sorted = revocations.sorted { ($0.kind.rawValue, $0.value) < ($1.kind.rawValue, $1.value) }
        let rows = sorted.map { revocation in
            [
                revocation.kind.rawValue, revocation.value, revocation.notBefore.map(TimeArgument.format) ?? "-",
                TimeArgument.format(revocation.expiresAt),
            ]
        }
        printTable(header: ["KIND", "VALUE", "ISSUED BEFORE", "UNTIL"], rows: rows)
        printError("\(revocations.count) active revocation\(revocations.count == 1 ? "" : "s")")
    }
}

/// The TIME arguments: ISO-8601 UTC, Unix seconds, or a signed duration relative to now.
enum TimeArgument {
    /// Unix seconds, or nil when `text` is none of the three forms (or out of the years 1970...9999).
    static func parse(_ text: String, now: Int64) -> Int64? {
        if let first = text.utf8.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            guard let offset = relativeSeconds(text.utf8.dropFirst()) else { return nil }
            return first == UInt8(ascii: "+") ? now + offset : now - offset
        }
        if !text.isEmpty, text.utf8.allSatisfy(isDigit) {
            guard text.utf8.count <= 12, let seconds = Int64(text), seconds <= maximum else { return nil }
            return seconds
        }
        return iso8601(Array(text.utf8))
    }

    /// "2026-11-24T10:00:00Z".
    static func format(_ seconds: Int64) -> String {
        var value = time_t(seconds)
        var parts = tm()
        guard gmtime_r(&value, &parts) != nil else { return String(seconds) }
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }

    /// 9999-12-31T23:59:59Z: keeps every sum with a parsed time far from overflow.
    private static let maximum: Int64 = 253_402_300_799

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// "15m", "1h30m", "7d": number-unit pairs, at most ten years in all.
    private static func relativeSeconds(_ bytes: Substring.UTF8View) -> Int64? {
        var rest = bytes[...]
        var total: Int64 = 0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix(while: isDigit)
            guard !digits.isEmpty, digits.count <= 9, let number = Int64(Substring(digits)), let unit = rest.dropFirst(digits.count).first
            else { return nil }
            let scale: Int64
            switch unit {
            case UInt8(ascii: "s"): scale = 1
            case UInt8(ascii: "m"): scale = 60
            case UInt8(ascii: "h"): scale = 3_600
            case UInt8(ascii: "d"): scale = 86_400
            default: return nil
            }
            total += number * scale
            guard total <= 3_650 * 86_400 else { return nil }
            rest = rest.dropFirst(digits.count + 1)
        }
        return total
    }

    /// Exactly YYYY-MM-DDTHH:MM:SSZ: one unambiguous spelling, in UTC, so no local time zone can shift a revocation.
    private static func iso8601(_ b: [UInt8]) -> Int64? {
        guard b.count == 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"), b[19] == UInt8(ascii: "Z")
        else { return nil }
        func number(_ range: Range<Int>) -> Int32? {
            var n: Int32 = 0
            for i in range {
                guard isDigit(b[i]) else { return nil }
                n = n * 10 + Int32(b[i] - UInt8(ascii: "0"))
            }
            return n
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19), year >= 1970, (1...12).contains(month),
            (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        return Int64(timegm(&parts))
    }

    private static func daysIn(month: Int32, year: Int32) -> Int32 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// Columns padded to their widest cell, to stdout.
func printTable(header: [String], rows: [[String]]) {
    var widths = header.map(\.count)
    for row in rows {
        for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
    }
    for row in [header] + rows {
        var line = ""
        for (i, cell) in row.enumerated() {
            line += i == row.count - 1 ? cell : pad(cell, widths[i] + 2)
        }
        printOut(line)
    }
}
