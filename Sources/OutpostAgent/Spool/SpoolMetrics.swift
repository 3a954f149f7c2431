import CoreMetrics

/// The spool's metrics (swift-metrics; exported by whatever backend the agent bootstraps).
struct SpoolMetrics: Sendable {
    let droppedResults: Counter
    let droppedBatches: Counter
    let diskFullEvents: Counter
    let tornTailBytes: Counter
    let corruptionEvents: Counter
    let bytes: Gauge
    let records: Gauge
    let memoryBufferedRecords: Gauge

    init(factory: any MetricsFactory) {
        droppedResults = Counter(label: "outpost_agent_spool_dropped_results_total", factory: factory)
        droppedBatches = Counter(label: "outpost_agent_spool_dropped_batches_total", factory: factory)
        diskFullEvents = Counter(label: "outpost_agent_spool_disk_full_events_total", factory: factory)
        tornTailBytes = Counter(label: "outpost_agent_spool_torn_tail_bytes_total", factory: factory)
        corruptionEvents = Counter(label: "outpost_agent_spool_corruption_events_total", factory: factory)
        bytes = Gauge(label: "outpost_agent_spool_bytes", factory: factory)
        records = Gauge(label: "outpost_agent_spool_records", factory: factory)
        memoryBufferedRecords = Gauge(label: "outpost_agent_spool_memory_buffered_records", factory: factory)
    }
}
