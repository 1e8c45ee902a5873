/// scrypt cost: N = 2^logN iterations over 128·r-byte blocks, p independent lanes.
public struct ScryptParameters: Sendable, Hashable {
    public var logN: Int
    public var r: Int
    public var p: Int

    public init(logN: Int, r: Int, p: Int) {
        self.logN = logN
        self.r = r
        self.p = p
    }

    /// N=2^15, r=8, p=1: 32 MiB and ~125 ms per hash on this machine's cores (release build, measured; 2^14 is
    /// ~65 ms, 2^16 ~255 ms, 2^17 ~525 ms), so ~8 logins per second per core. OWASP's 2^17 would make a login cost
    /// half a second of a core, an easy denial of service on a gateway; 2^15 keeps a login interactive while every
    /// offline guess against a stolen database still costs 32 MiB and this much work. PHC strings record the
    /// parameters, so raising them later re-hashes each user at their next login (`needsRehash`).
    public static let `default` = ScryptParameters(logN: 15, r: 8, p: 1)

    /// What a stored PHC string or a configuration may ask for: well above any cost we would choose, yet bounded so
    /// a corrupted or tampered row cannot make one login run for minutes; OpenSSL's 1 GiB memory limit
    /// (128·r·N bytes) refuses the largest combinations outright.
    static let accepted = (logN: 1...20, r: 1...32, p: 1...16)

    var isAccepted: Bool {
        Self.accepted.logN.contains(logN) && Self.accepted.r.contains(r) && Self.accepted.p.contains(p)
    }

    var n: UInt64 { 1 << UInt64(logN) }

    /// True when every cost factor is at least `other`'s.
    public func isAtLeast(_ other: ScryptParameters) -> Bool {
        logN >= other.logN && r >= other.r && p >= other.p
    }
}
