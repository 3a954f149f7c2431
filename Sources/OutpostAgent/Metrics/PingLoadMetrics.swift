import CoreMetrics

/// Publishes the agent's ``PingLoad`` every few seconds: ping demand, ICMP ceiling and send
/// rate as gauges, rounds overrun as a counter (`/metrics` when `metrics_listen` is set).
struct PingLoadMetrics: Sendable {
    let load: PingLoadMonitor

    /// Publishes until the task is cancelled.
    func run(every interval: Duration = .seconds(5)) async {
        let demand = Gauge(label: "outpost_agent_ping_demand_packets_per_second")
        let ceiling = Gauge(label: "outpost_agent_icmp_ceiling_packets_per_second")
        let rate = Gauge(label: "outpost_agent_icmp_send_rate_packets_per_second")
        let roundInterval = Gauge(label: "outpost_agent_ping_round_interval_seconds")
        let overrun = Counter(label: "outpost_agent_ping_rounds_overrun_total")
        var published = 0
        while !Task.isCancelled {
            let current = load.current
            demand.record(current.demandPacketsPerSecond)
            ceiling.record(current.ceilingPacketsPerSecond)
            if let plan = load.plan {
                rate.record(plan.sendRatePacketsPerSecond)
                let (seconds, attoseconds) = plan.roundInterval.components
                roundInterval.record(Double(seconds) + Double(attoseconds) / 1e18)
            }
            if current.roundsOverrun > published {
                overrun.increment(by: current.roundsOverrun - published)
                published = current.roundsOverrun
            }
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
        }
    }
}
