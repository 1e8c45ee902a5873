import Testing
@testable import Config

struct ValueSyntaxTests {
    @Test(arguments: [
        ("250ms", Duration.milliseconds(250)), ("30s", .seconds(30)), ("5m", .seconds(300)), ("1h", .seconds(3_600)),
        ("1d", .seconds(86_400)), ("1h30m", .seconds(5_400)), ("1d2h3m4s5ms", .milliseconds(93_784_005)),
        ("0s", .zero), ("1m500ms", .milliseconds(60_500)),
    ])
    func validDurations(text: String, expected: Duration) {
        #expect(DurationText.parse(text) == expected)
    }

    @Test(arguments: [
        "", "5", "s", "1.5s", "-1s", "30s5m", "1m1m", "5 m", "1H", "1000000000s", "1hh", "ms", "1w", " 1s", "1s ",
        "99999d",
    ])
    func invalidDurations(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test(arguments: [
        (Duration.seconds(90), "1m30s"), (.milliseconds(250), "250ms"), (.zero, "0s"), (.seconds(86_400 + 1), "1d1s"),
    ])
    func formatDurations(duration: Duration, expected: String) {
        #expect(DurationText.format(duration) == expected)
    }

    @Test(arguments: [
        ("64KiB", 65_536), ("10MiB", 10_485_760), ("1GiB", 1_073_741_824), ("500kB", 500_000), ("1MB", 1_000_000),
        ("2GB", 2_000_000_000), ("512B", 512), ("0B", 0),
    ])
    func validSizes(text: String, expected: Int) {
        #expect(ByteSize.parse(text) == expected)
    }

    @Test(arguments: ["10", "10 MB", "10mb", "1KB", "KiB", "-1KiB", "1.5MiB", "9999999999999KiB", "1kib", "1 B", ""])
    func invalidSizes(text: String) {
        #expect(ByteSize.parse(text) == nil)
    }

    @Test(arguments: [
        ("127.0.0.1:8080", "127.0.0.1", 8080, false), ("[::1]:8080", "::1", 8080, true), ("0.0.0.0:1", "0.0.0.0", 1, false),
        ("localhost:65535", "localhost", 65535, false), ("[2001:db8::1]:443", "2001:db8::1", 443, true),
    ])
    func validAddresses(text: String, host: String, port: Int, isIPv6: Bool) throws {
        let address = try HostPort.parse(text).get()
        #expect(address.host == host)
        #expect(Int(address.port) == port)
        #expect(address.isIPv6 == isIPv6)
        #expect(address.text == text)
    }

    @Test(arguments: [
        ("127.0.0.1", "expected host:port"),
        (":8080", "host must be an IP address or \"localhost\", got \"\""),
        ("127.0.0.1:0", "port must be a number from 1 to 65535"),
        ("127.0.0.1:65536", "port must be a number from 1 to 65535"),
        ("127.0.0.1:+80", "port must be a number from 1 to 65535"),
        ("127.0.0.1:", "port must be a number from 1 to 65535"),
        ("example.com:80", "host must be an IP address or \"localhost\", got \"example.com\""),
        ("::1:8080", "IPv6 addresses need brackets, e.g. \"[::1]:8080\""),
        ("[::1]8080", "expected \":port\" after \"]\""),
        ("[::1", "missing \"]\""),
        ("[127.0.0.1]:80", "\"127.0.0.1\" is not an IPv6 address"),
        ("01.2.3.4:80", "host must be an IP address or \"localhost\", got \"01.2.3.4\""),
        ("1.2.3:80", "host must be an IP address or \"localhost\", got \"1.2.3\""),
    ])
    func invalidAddresses(text: String, reason: String) {
        guard case .failure(let problem) = HostPort.parse(text) else {
            Issue.record("\(text) parsed")
            return
        }
        #expect(problem.reason == reason)
    }

    @Test(arguments: [
        ("100/s", 100.0), ("6000/m", 100.0), ("6000/min", 100.0), ("36000/h", 10.0), ("86400/d", 1.0), ("1/m", 1.0 / 60),
    ])
    func validRates(text: String, perSecond: Double) {
        #expect(RateSpec.parse(text) == RateSpec(perSecond: perSecond, text: text))
    }

    @Test(arguments: ["0/s", "100", "100/sec", "/s", "1.5/s", "-1/s", "100/S", "100/s/s", "10000000000/s", "100/"])
    func invalidRates(text: String) {
        #expect(RateSpec.parse(text) == nil)
    }

    @Test(arguments: [
        ("methods", "methdos"), ("listen", "listne"), ("max_idle", "max_idel"), ("upstream", "upstrem"),
    ])
    func suggestions(expected: String, typo: String) {
        #expect(Suggestion.closest(to: typo, in: ConfigKeys.route + ConfigKeys.root + ConfigKeys.upstream) == expected)
    }

    @Test(arguments: [
        ("routes[3].upstream", "routes[3]"), ("routes[3]", "routes"), ("routes", "$"),
        ("issuers.main.identity_headers[\"X.Y\"]", "issuers.main.identity_headers"),
        ("auth.methods[\"A[B\"].roles", "auth.methods[\"A[B\"]"),
    ])
    func parentPaths(path: String, parent: String) {
        #expect(ConfigPath.parent(path) == parent)
    }
}
