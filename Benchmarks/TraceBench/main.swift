// Trace engine on many destinations at once, for scripts/lib/trace-bench.sh (run inside the
// tracer namespace of its router chain):
//
//   OUTPOST_BENCHMARKS=1 swift run -c release TraceBench ADDRESS…
//
// Traces every address concurrently (ICMP, 3 probes per hop, 16 hops in flight, 1 s probe
// timeout) and prints the wall time, the probes sent, the CPU time of the process (user +
// system) and the hop count of every trace as `TRACEBENCH wall_s=… probes=… cpu_s=… hops=…`.
import Foundation
import Logging
import OutpostProbes

#if canImport(Glibc)
    import Glibc
#endif

@main
struct TraceBench {
    static func main() async {
        let addresses = Array(CommandLine.arguments.dropFirst())
        do {
            var logger = Logger(label: "tracebench")
            logger.logLevel = .warning
            let engine = try TraceEngine(configuration: .init(maxPacketsPerSecond: 100_000), logger: logger)
            let configuration = try TraceConfiguration(probeTimeout: .seconds(1))
            let cpuBefore = cpuSeconds()
            let start = ContinuousClock.now
            let results = try await withThrowingTaskGroup(of: TraceResult.self) { group in
                for address in addresses {
                    group.addTask { try await engine.trace(to: address, configuration: configuration) }
                }
                var results: [TraceResult] = []
                for try await result in group { results.append(result) }
                return results
            }
            let wall = ContinuousClock.now - start
            let cpu = cpuSeconds() - cpuBefore
            await engine.shutdown()
            let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
            let hops = Set(results.map { "\($0.hops.count)\($0.ending == .reached ? "" : "-\($0.ending.rawValue)")" })
            print(
                String(
                    format: "TRACEBENCH wall_s=%.3f probes=%d cpu_s=%.3f hops=%@", wallSeconds,
                    results.reduce(0) { $0 + $1.probesSent }, cpu, hops.sorted().joined(separator: ",")))
        } catch {
            FileHandle.standardError.write(Data("TraceBench: \(error)\n".utf8))
            exit(1)
        }
    }

    /// User plus system CPU time of this process, in seconds.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
