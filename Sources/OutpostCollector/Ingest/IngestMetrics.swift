import Metrics
import OutpostStore

/// Prometheus-facing counters of the ingest pipeline (exported by the collector's `/metrics`).
struct IngestMetrics: Sendable {
    let batchesCommitted = Counter(label: "outpost_ingest_batches_total")
    let duplicateBatches = Counter(label: "outpost_ingest_duplicate_batches_total")
    let rowsWritten = Counter(label: "outpost_ingest_rows_total")
    let unknownDeviceRows = Counter(label: "outpost_ingest_unknown_device_rows_total")
    let commitFailures = Counter(label: "outpost_ingest_commit_failures_total")
    let commitLatency = Timer(label: "outpost_ingest_commit_seconds")
    let queuedRows = Gauge(label: "outpost_ingest_queued_rows")

    func recordCommit(_ outcome: IngestOutcome, batches: Int, duration: Duration) {
        batchesCommitted.increment(by: outcome.committed.count)
        duplicateBatches.increment(by: outcome.duplicates.count)
        rowsWritten.increment(by: outcome.rowsWritten)
        unknownDeviceRows.increment(by: outcome.unknownDeviceRows)
        commitLatency.recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}
