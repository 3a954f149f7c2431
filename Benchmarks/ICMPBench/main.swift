// ICMP engine vs fping on the same loopback targets, same run.
//
//   OUTPOST_BENCHMARKS=1 swift run -c release ICMPBench [--engine-only] [--pairs N] [--socket raw|datagram]
//                                                        [targets…]   (default: 11 pairs, 1000 10000 targets)
//
// For each target count (127.1.x.y addresses) it pings every target 3 times with the engine
// and with `fping -C 3 -q -i 0 -p 20 -t 1000`, N times each, alternating which goes first, and
// prints per run probes/s, loss, CPU time of the whole process (every thread, kernel time
// included) and CPU per 1,000 probes. The engine opens its sockets as the agent does
// (`automatic`: datagram where `net.ipv4.ping_group_range` admits the process, raw otherwise);
// when that gives datagram sockets, each pair also runs the engine on raw sockets, as fping's
// are when run as root. `--socket` runs one kind only. Then it starts itself again as
// `ICMPBench rss`, which runs the PingScheduler on 10,000 configured targets (default settings,
// 10 s rounds) for one round interval in a fresh process and prints its resident set size.
//
// Each comparison and the RSS end with a machine-readable
// `RESULT name=… size=… ours=… reference=… unit=… ratio=…` line: probes/s (`icmp`), CPU per
// 1,000 probes (`icmp-cpu`, and `icmp-cpu-raw` for the raw sockets), each tool's median over
// the runs and the median of the runs' ratios with its range, and for CPU the ratio of each
// tool's least (`ratio-of-least`). One run lasts a fraction of a second, and a shared machine
// adds a quarter to either tool's figure from one run to the next; the median of pairs taken
// moments apart, and the least of each, are what stay put. `--engine-only` runs only
// the engine's rows, e.g. under `perf record -g`.
import Foundation
import Logging
import OutpostCore
import OutpostProbes

#if canImport(Glibc)
    import Glibc
#endif

let packetsPerTarget = 3
let arguments = CommandLine.arguments.dropFirst()
let engineOnly = arguments.contains("--engine-only")
let (pairs, socketMode, counts) = parseOptions(arguments)

/// Runs per tool and size (`--pairs N`, default 11), the engine's sockets (`--socket raw|datagram`,
/// default as the agent chooses) and the target counts given.
func parseOptions(_ arguments: ArraySlice<String>) -> (
    pairs: Int, socketMode: ICMPEngineConfiguration.SocketMode, counts: [Int]
) {
    var pairs = 11
    var socketMode = ICMPEngineConfiguration.SocketMode.automatic
    var counts: [Int] = []
    var remaining = arguments
    while let argument = remaining.popFirst() {
        if argument == "--pairs" {
            pairs = remaining.popFirst().flatMap { Int($0) }.map { max(1, $0) } ?? pairs
        } else if argument == "--socket" {
            socketMode = remaining.popFirst() == "datagram" ? .datagram : .raw
        } else if let count = Int(argument), (1...60_000).contains(count) {
            counts.append(count)
        }
    }
    return (pairs, socketMode, counts)
}

@main
struct ICMPBench {
    static func main() async {
        do {
            try await run()
        } catch {
            FileHandle.standardError.write(Data("ICMPBench: \(error)\n".utf8))
            exit(1)
        }
    }

    static func run() async throws {
        if arguments.first == "rss" {
            try await printSchedulerMemory(targets: 10_000)
            return
        }
        let sizes = counts.isEmpty ? [1_000, 10_000] : counts
        print("target  tool     sockets    probes   replies  loss%   wall_s  probes/s   cpu_s  cpu_ms/1k_probes")
        for size in sizes {
            let addresses = loopbackAddresses(size)
            var ours: [Measurement] = []
            var raw: [Measurement] = []
            var references: [Measurement] = []
            for pair in 0..<pairs {
                // Alternating the order keeps either tool from always running on a warmed cache.
                if pair % 2 == 1, !engineOnly { references.append(try printFpingRun(addresses)) }
                let run = try await printEngineRun(addresses, socketMode: socketMode)
                ours.append(run)
                if run.sockets == .datagram, socketMode == .automatic {
                    raw.append(try await printEngineRun(addresses, socketMode: .raw))
                }
                if pair % 2 == 0, !engineOnly { references.append(try printFpingRun(addresses)) }
            }
            if engineOnly { continue }
            let sockets = ours.first?.sockets.description ?? "none"
            printResult("icmp", size: size, unit: "probes/s", sockets: sockets, ours: ours, references: references) {
                $0.probesPerSecond
            }
            printResult(
                "icmp-cpu", size: size, unit: "cpu-ms/1k-probes", sockets: sockets, ours: ours, references: references
            ) { $0.cpuPerThousandProbes }
            if !raw.isEmpty {
                printResult(
                    "icmp-cpu-raw", size: size, unit: "cpu-ms/1k-probes", sockets: "raw", ours: raw,
                    references: references
                ) { $0.cpuPerThousandProbes }
            }
        }
        if engineOnly { return }
        fflush(nil)  // this table before the child's line
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        child.arguments = ["rss"]
        try child.run()
        child.waitUntilExit()
    }

    /// Prints the `RESULT` line of one figure: each tool's median and the median of the runs'
    /// ratios, with their range and the number of pairs.
    static func printResult(
        _ name: String, size: Int, unit: String, sockets: String, ours: [Measurement], references: [Measurement],
        figure: (Measurement) -> Double
    ) {
        let isRate = unit == "probes/s"
        let format = isRate ? "%.0f" : "%.2f"
        let ratios = zip(ours, references).map { figure($0) / figure($1) }.sorted()
        // Interference only ever adds CPU time: for CPU, each tool's least is the other robust estimate.
        let least =
            isRate
            ? ""
            : String(
                format: " ratio-of-least=%.2f",
                (ours.map(figure).min() ?? .nan) / (references.map(figure).min() ?? .nan))
        print(
            "RESULT name=\(name) size=\(size)-targets ours=\(String(format: format, median(ours.map(figure)))) "
                + "reference=\(String(format: format, median(references.map(figure)))) unit=\(unit) "
                + String(
                    format: "ratio=%.2f pairs=%d ratio-min=%.2f ratio-max=%.2f", median(ratios), ratios.count,
                    ratios.first ?? .nan, ratios.last ?? .nan)
                + least + " sockets=\(sockets)")
    }

    /// The middle value of `values` (the mean of the two middle ones for an even count).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return (sorted[(sorted.count - 1) / 2] + sorted[sorted.count / 2]) / 2
    }

    static func loopbackAddresses(_ count: Int) -> [String] {
        (0..<count).map { "127.1.\($0 / 250).\($0 % 250 + 1)" }
    }

    static func printEngineRun(_ addresses: [String], socketMode: ICMPEngineConfiguration.SocketMode) async throws
        -> Measurement
    {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let engine = try ICMPEngine(
            configuration: .init(socketMode: socketMode, maxPacketsPerSecond: 1_000_000), logger: logger)
        let configuration = try PingConfiguration(
            packetsPerRound: packetsPerTarget, packetInterval: .milliseconds(20), timeout: .seconds(1))
        let targets = try addresses.map { try PingTarget(deviceID: DeviceID(UUID()), address: $0) }
        let cpuBefore = cpuSeconds(RUSAGE_SELF.rawValue)
        let start = ContinuousClock.now
        // One batch, as the agent's schedule hands the engine the rounds due at once.
        let results = await engine.rounds(targets: targets, configuration: configuration)
        let wall = ContinuousClock.now - start
        let cpu = cpuSeconds(RUSAGE_SELF.rawValue) - cpuBefore
        await engine.shutdown()
        let sent = results.reduce(0) { $0 + $1.packetsSent }
        let received = results.reduce(0) { $0 + $1.packetsReceived }
        return report(
            targets: addresses.count, tool: "engine", sent: sent, received: received, wall: wall, cpu: cpu,
            sockets: engine.socketKind)
    }

    static func printFpingRun(_ addresses: [String]) throws -> Measurement {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/fping")
        process.arguments = ["-C", "\(packetsPerTarget)", "-q", "-i", "0", "-p", "20", "-t", "1000"] + addresses
        let output = Pipe()
        process.standardError = output
        process.standardOutput = FileHandle.nullDevice
        let cpuBefore = cpuSeconds(RUSAGE_CHILDREN.rawValue)
        let start = ContinuousClock.now
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let wall = ContinuousClock.now - start
        let cpu = cpuSeconds(RUSAGE_CHILDREN.rawValue) - cpuBefore
        // "127.1.0.1 : 0.03 - 0.02": one field per probe, "-" for a lost one.
        var sent = 0
        var received = 0
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            for field in line[line.index(after: colon)...].split(separator: " ") {
                sent += 1
                if field != "-" { received += 1 }
            }
        }
        return report(
            targets: addresses.count, tool: "fping", sent: sent, received: received, wall: wall, cpu: cpu, sockets: .raw
        )
    }

    static func printSchedulerMemory(targets count: Int) async throws {
        let baseline = residentKiB("VmRSS")
        let engine = try ICMPEngine(configuration: .init(maxPacketsPerSecond: 5_000), logger: Logger(label: "bench"))
        let configuration = try PingConfiguration()
        let devices = try loopbackAddresses(count).map {
            PingDevice(target: try PingTarget(deviceID: DeviceID(UUID()), address: $0), configuration: configuration)
        }
        let scheduler = PingScheduler(engine: engine, devices: devices)
        let deadline = ContinuousClock.now + configuration.roundInterval + configuration.roundDuration
        var rounds = 0
        var lossy = 0
        for await result in scheduler.results() {
            rounds += 1
            if result.packetsReceived < result.packetsSent { lossy += 1 }
            if ContinuousClock.now >= deadline { break }
        }
        let counters = engine.counters
        await engine.shutdown()
        print(
            "scheduler: \(count) targets, default settings: \(rounds) rounds in one interval, \(lossy) with loss, "
                + "sent \(counters.sent) received \(counters.received); process RSS before the engine \(baseline) KiB, "
                + "VmHWM \(residentKiB("VmHWM")) KiB, VmRSS \(residentKiB("VmRSS")) KiB")
        print(
            "RESULT name=scheduler-rss size=\(count)-targets ours=\(residentKiB("VmHWM")) reference=- unit=KiB ratio=-")
    }

    /// One tool's run: probes per second and CPU milliseconds per 1,000 probes.
    struct Measurement {
        var probesPerSecond: Double
        var cpuPerThousandProbes: Double
        var sockets: ICMPSocketKind
    }

    /// Prints one table row.
    static func report(
        targets: Int, tool: String, sent: Int, received: Int, wall: Duration, cpu: Double, sockets: ICMPSocketKind
    ) -> Measurement {
        let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        let loss = sent > 0 ? Double(sent - received) * 100 / Double(sent) : 100
        let cpuPerThousand = cpu * 1000 * 1000 / Double(max(sent, 1))
        let line = [
            pad(targets, 6), pad(tool, 6), pad(sockets, 8), pad(sent, 8), pad(received, 9),
            pad(String(format: "%.2f", loss), 6),
            pad(String(format: "%.2f", seconds), 7), pad(String(format: "%.0f", Double(sent) / seconds), 9),
            pad(String(format: "%.3f", cpu), 7), pad(String(format: "%.2f", cpuPerThousand), 17),
        ]
        print(line.joined(separator: "  "))
        return Measurement(
            probesPerSecond: Double(sent) / seconds, cpuPerThousandProbes: cpuPerThousand, sockets: sockets)
    }

    static func pad(_ value: some CustomStringConvertible, _ width: Int) -> String {
        let text = value.description
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }

    static func cpuSeconds(_ who: Int32) -> Double {
        var usage = rusage()
        getrusage(who, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }

    static func residentKiB(_ field: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? -1
        }
        return -1
    }
}
