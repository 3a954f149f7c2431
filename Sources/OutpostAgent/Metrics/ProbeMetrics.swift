import CoreMetrics
import OutpostProbes

/// Publishes the probe engines' running totals as gauges every few seconds, so a metrics
/// backend (the agent's `/metrics`) sees echo requests sent and answered and SNMP table
/// requests without the engines knowing about metrics.
struct ProbeMetrics: Sendable {
    let engine: ICMPEngine
    let poller: ItemPoller

    /// The engine's totals by outcome.
    private static func outcomes(_ counters: ICMPCounters) -> [(String, Int)] {
        [
            ("sent", counters.sent), ("send_failures", counters.sendFailures), ("received", counters.received),
            ("duplicates", counters.duplicates), ("late", counters.late), ("wrong_source", counters.wrongSource),
            ("unreachable", counters.unreachable),
        ]
    }

    /// Publishes until the task is cancelled.
    func run(every interval: Duration = .seconds(5)) async {
        var gauges: [String: Gauge] = [:]
        let tableRequests = Gauge(label: "outpost_agent_snmp_table_requests")
        while !Task.isCancelled {
            for (outcome, total) in Self.outcomes(engine.counters) {
                let gauge =
                    gauges[outcome]
                    ?? Gauge(label: "outpost_agent_icmp_echo_requests", dimensions: [("outcome", outcome)])
                gauges[outcome] = gauge
                gauge.record(total)
            }
            tableRequests.record(poller.tableRequests)
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
        }
    }
}
