/// The bucket arithmetic over one TAT (see BucketShard.swift for why this is a token bucket).
enum GCRA {
    @inline(__always)
    static func take(_ tat: inout UInt64, spec: RateSpec, now: UInt64) -> RateDecision {
        let interval = spec.intervalNanos
        let capacity = spec.capacityNanos
        let debt = debtNanos(tat: tat, now: now)
        if debt + interval <= capacity {
            let newDebt = debt + interval
            let (sum, overflow) = now.addingReportingOverflow(newDebt)
            tat = overflow ? .max : sum
            return .allowed(remaining: Int((capacity - newDebt) / interval), resetSeconds: ceilSeconds(newDebt))
        }
        return limited(debt: debt, spec: spec)
    }

    static func peek(tat: UInt64, spec: RateSpec, now: UInt64) -> RateDecision {
        let debt = debtNanos(tat: tat, now: now)
        if debt + spec.intervalNanos <= spec.capacityNanos {
            return .allowed(remaining: Int((spec.capacityNanos - debt) / spec.intervalNanos), resetSeconds: ceilSeconds(debt))
        }
        return limited(debt: debt, spec: spec)
    }

    /// Clamped to 2⁶³ (specs cap capacity and interval at 2⁶²), so debt + interval can never overflow.
    @inline(__always)
    private static func debtNanos(tat: UInt64, now: UInt64) -> UInt64 {
        tat > now ? min(tat - now, 1 << 63) : 0
    }

    private static func limited(debt: UInt64, spec: RateSpec) -> RateDecision {
        // One token is back once debt has fallen to capacity − interval.
        let wait = debt + spec.intervalNanos - spec.capacityNanos
        return .limited(retryAfterSeconds: max(1, ceilSeconds(wait)), resetSeconds: ceilSeconds(debt))
    }

    @inline(__always)
    private static func ceilSeconds(_ nanos: UInt64) -> Int {
        Int((nanos / 1_000_000_000) + (nanos % 1_000_000_000 == 0 ? 0 : 1))
    }
}
