extension Gateway {
    /// Every worker's metrics, summed when read: what the admin server's /metrics and /readyz report. Workers
    /// register as they start; reloads are counted with `metrics.recordReload(ok:)`.
    public var metrics: GatewayMetrics { shared.metrics }
}
