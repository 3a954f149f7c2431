import Foundation
import Logging
import OutpostCore
import OutpostProbes
import Synchronization

// The agent's item poller on interface tables at branch scale, for scripts/lib/interfaces-bench.sh.
//
//   InterfacesBench DEVICES INTERVALS [INTERVAL-SECONDS [HOST [PORT]]]
//
// Polls DEVICES devices (community dev1 … devN of one snmpd on HOST:PORT, 127.0.0.1:161 by
// default) with the interface items of the Cisco template that run every interval (in and out
// HC octets, oper status, in and out errors) as table items, for INTERVALS intervals after a
// first warm-up interval. Prints the poller's CPU seconds per interval, its peak RSS, requests
// and OIDs (row samples) per second, and failed samples, as one `MEASURED key=value …` line.

func report(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
        + Double(usage.ru_stime.tv_usec) / 1e6
}

/// `VmHWM` (peak resident set) from /proc/self/status, in MiB.
func peakRSSMegabytes() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kilobytes / 1024
    }
    return 0
}

let arguments = CommandLine.arguments.dropFirst().map { $0 }
guard arguments.count >= 2, let deviceCount = Int(arguments[0]), let intervals = Int(arguments[1]), deviceCount > 0,
    intervals > 0
else {
    report("usage: InterfacesBench DEVICES INTERVALS [INTERVAL-SECONDS [HOST [PORT]]]")
    exit(2)
}
let intervalSeconds = arguments.count > 2 ? Int(arguments[2]) ?? 60 : 60
let host = arguments.count > 3 ? arguments[3] : "127.0.0.1"
let port = arguments.count > 4 ? UInt16(arguments[4]) ?? 161 : 161

let columns: [(String, String, String)] = [
    ("if_in_octets", "1.3.6.1.2.1.31.1.1.1.6", "counter64"), ("if_out_octets", "1.3.6.1.2.1.31.1.1.1.10", "counter64"),
    ("if_oper_status", "1.3.6.1.2.1.2.2.1.8", "integer"), ("if_in_errors", "1.3.6.1.2.1.2.2.1.14", "counter32"),
    ("if_out_errors", "1.3.6.1.2.1.2.2.1.20", "counter32"),
]
let devices = (1...deviceCount).map { index in
    AgentConfiguration.Device(
        id: UUID(), name: "dev\(index)", address: host,
        items: columns.map { name, oid, type in
            AgentConfiguration.Item(
                id: UUID(), name: name, oid: oid, intervalSeconds: intervalSeconds, valueType: type, isTable: true)
        }, snmp: .community("dev\(index)"))
}

struct Counts {
    var samples = 0
    var failures = 0
}

let engine = try SNMPEngine()
let poller = ItemPoller(engine: engine, port: port, logger: Logger(label: "interfaces-bench"))
let counts = Mutex(Counts())
let task = Task {
    await poller.run(devices: devices) { sample in
        counts.withLock {
            $0.samples += 1
            if sample.value == nil { $0.failures += 1 }
        }
    }
}
let clock = ContinuousClock()
report(
    "polling \(deviceCount) devices, \(columns.count) table items each, every \(intervalSeconds) s (warm-up interval first)"
)
try await Task.sleep(for: .seconds(intervalSeconds))
let start = (clock.now, cpuSeconds(), poller.tableRequests, counts.withLock { $0 })
for interval in 1...intervals {
    try await Task.sleep(for: .seconds(intervalSeconds))
    let now = counts.withLock { $0 }
    report(
        "interval \(interval): \(now.samples - start.3.samples) samples, \(poller.tableRequests - start.2) requests, "
            + "\(now.failures - start.3.failures) failed, CPU \(String(format: "%.2f", cpuSeconds() - start.1)) s")
}
let elapsed = clock.now - start.0
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let end = counts.withLock { $0 }
let cpu = cpuSeconds() - start.1
task.cancel()
await task.value
await engine.shutdown()
report(
    String(
        format:
            "MEASURED cpu_per_interval=%.3f cpu_percent=%.2f rss_mb=%.1f requests_per_s=%.1f oids_per_s=%.1f failed=%d",
        cpu / Double(intervals), cpu / seconds * 100, peakRSSMegabytes(),
        Double(poller.tableRequests - start.2) / seconds, Double(end.samples - start.3.samples) / seconds,
        end.failures - start.3.failures))
