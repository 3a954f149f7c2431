import Foundation
import Prometheus

/// The agent process's own figures, read from `/proc/self` at each scrape: resident and
/// anonymous memory, peak resident memory, CPU seconds and open file descriptors.
final class ProcessMetrics: Sendable {
    private let resident: Gauge
    private let anonymous: Gauge
    private let peak: Gauge
    private let cpu: Gauge
    private let descriptors: Gauge

    init(registry: PrometheusCollectorRegistry) {
        func gauge(_ namespace: String, _ name: String, _ unit: String, _ help: String) -> Gauge {
            registry.makeGauge(
                descriptor: MetricNameDescriptor(namespace: namespace, metricName: name, unitName: unit, helpText: help)
            )
        }
        resident = gauge("process", "resident_memory", "bytes", "Resident memory of the agent process.")
        anonymous = gauge("outpost_agent", "anonymous_memory", "bytes", "Anonymous resident memory (RssAnon).")
        peak = gauge("outpost_agent", "peak_resident_memory", "bytes", "Peak resident memory (VmHWM).")
        cpu = gauge("outpost_agent", "cpu", "seconds", "User and system CPU time of the process.")
        descriptors = gauge("process", "open", "fds", "Open file descriptors.")
    }

    /// Reads `/proc/self` and sets the gauges; a figure that cannot be read keeps its value.
    func refresh() {
        let memory = ProcessMemory.read()
        if let value = memory.resident { resident.set(Double(value)) }
        if let value = memory.anonymous { anonymous.set(Double(value)) }
        if let value = memory.peak { peak.set(Double(value)) }
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let afterName = stat.range(of: ")", options: .backwards)
        {
            // Fields after the command name: state is field 3, utime 14 and stime 15.
            let fields = stat[afterName.upperBound...].split(separator: " ")
            if fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) {
                cpu.set((user + system) / Double(sysconf(Int32(_SC_CLK_TCK))))
            }
        }
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            descriptors.set(Double(entries.count))
        }
    }
}
