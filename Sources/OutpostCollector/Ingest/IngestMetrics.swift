import Metrics
import OutpostStore

/// Prometheus-facing counters of the ingest pipeline (exported by the collector's `/metrics`).
struct IngestMetrics: Sendable {
    let batchesCommitted: Counter
    let duplicateBatches: Counter
    let rowsWritten: Counter
    let unknownDeviceRows: Counter
    let commitFailures: Counter
    /// One group commit: COPY of every row, device state, sequences and the commit itself.
    let commitLatency: Timer
    /// Batches written per group commit (how well group commit amortises the transaction).
    let groupBatches: Recorder
    let queuedRows: Gauge
    /// The queue's cap (`maxQueuedRows`): at it, sessions stop reading their sockets.
    let queueCapacityRows: Gauge
    /// Batches whose rows PostgreSQL refused (SQLSTATE class 22/23), kept in `ingest_quarantine`.
    let quarantinedBatches: Counter

    init(factory: any MetricsFactory) {
        batchesCommitted = Counter(label: "outpost_ingest_batches_total", factory: factory)
        duplicateBatches = Counter(label: "outpost_ingest_duplicate_batches_total", factory: factory)
        rowsWritten = Counter(label: "outpost_ingest_rows_total", factory: factory)
        unknownDeviceRows = Counter(label: "outpost_ingest_unknown_device_rows_total", factory: factory)
        commitFailures = Counter(label: "outpost_ingest_commit_failures_total", factory: factory)
        commitLatency = Timer(label: "outpost_ingest_commit_seconds", factory: factory)
        groupBatches = Recorder(label: "outpost_ingest_group_batches", factory: factory)
        queuedRows = Gauge(label: "outpost_ingest_queued_rows", factory: factory)
        queueCapacityRows = Gauge(label: "outpost_ingest_queue_capacity_rows", factory: factory)
        quarantinedBatches = Counter(label: "outpost_ingest_quarantined_batches_total", factory: factory)
    }

    func recordCommit(_ outcome: IngestOutcome, batches: Int, duration: Duration) {
        batchesCommitted.increment(by: outcome.committed.count)
        duplicateBatches.increment(by: outcome.duplicates.count)
        rowsWritten.increment(by: outcome.rowsWritten)
        unknownDeviceRows.increment(by: outcome.unknownDeviceRows)
        groupBatches.record(batches)
        commitLatency.recordNanoseconds(
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}
