// SpoolBench: spool append and replay throughput, beside a raw pwrite(+fdatasync) loop on the
// same disk as the reference ceiling.
//
//   OUTPOST_BENCHMARKS=1 swift run -c release SpoolBench [directory] [seconds-per-case]
//
// Append cases: 1 KB and 40 KB payloads (a 40 KB signed batch ≈ 1,000 results), sync every
// batch vs group commit every 10 ms, one appender and 8 concurrent appenders.
// Replay: everything written is read back through `replay()` (no pacing), acknowledging as it goes.
// Per payload size, machine-readable lines `RESULT name=… size=… ours=… reference=… unit=… ratio=…`
// compare the spool (fsync every batch, and group commit, one writer) with raw pwrite+fdatasync.
import Foundation
import Logging
import OutpostAgent

let arguments = CommandLine.arguments
let root = arguments.count > 1 ? arguments[1] : NSTemporaryDirectory() + "spoolbench-\(getpid())"
let secondsPerCase = arguments.count > 2 ? Double(arguments[2]) ?? 3 : 3
let logger = Logger(label: "spoolbench", factory: { _ in SwiftLogNoOpLogHandler() })
let clock = ContinuousClock()

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Prints one case and returns its records/s.
func row(_ name: String, records: Int, bytes: Int, elapsed: Duration) -> Double {
    let time = seconds(elapsed)
    let line =
        name.padding(toLength: 46, withPad: " ", startingAt: 0)
        + String(
            format: "%12.0f rec/s %9.1f MB/s  (%d records in %.2f s)", Double(records) / time,
            Double(bytes) / time / 1e6, records, time)
    print(line)
    return Double(records) / time
}

func configuration(_ policy: SpoolConfiguration.SyncPolicy) -> SpoolConfiguration {
    var configuration = SpoolConfiguration()
    configuration.syncPolicy = policy
    configuration.maxBytes = 64 << 30
    return configuration
}

/// The reference: the same bytes written with plain pwrite, optionally fdatasync after each; records/s.
@discardableResult
func rawBaseline(size: Int, sync: Bool) throws -> Double {
    let path = root + "/raw-\(size)-\(sync)"
    let descriptor = open(path, O_CREAT | O_RDWR | O_TRUNC, 0o600)
    guard descriptor >= 0 else { throw POSIXError(.EIO) }
    defer {
        close(descriptor)
        unlink(path)
    }
    let record = [UInt8](repeating: 0x5A, count: size + 28)
    var offset: off_t = 0
    var count = 0
    let start = clock.now
    while seconds(clock.now - start) < secondsPerCase {
        _ = record.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, offset) }
        if sync { fdatasync(descriptor) }
        offset += off_t(record.count)
        count += 1
    }
    return row(
        "raw pwrite\(sync ? "+fdatasync" : "") \(size / 1000) KB", records: count, bytes: count * size,
        elapsed: clock.now - start)
}

/// Appends for `secondsPerCase` from `writers` concurrent tasks; returns the spool directory and records/s.
func appendCase(
    size: Int, policy: SpoolConfiguration.SyncPolicy, policyName: String, writers: Int
) async throws -> (directory: String, rate: Double) {
    let directory = root + "/append-\(size)-\(policyName)-\(writers)"
    let spool = try Spool.open(directory: directory, configuration: configuration(policy), logger: logger)
    let payload = [UInt8](repeating: 0xA5, count: size)
    let start = clock.now
    let count = try await withThrowingTaskGroup(of: Int.self) { group in
        group.addTask {
            await spool.run()
            return 0
        }
        for _ in 0..<writers {
            group.addTask {
                var count = 0
                while seconds(clock.now - start) < secondsPerCase {
                    _ = try await spool.append(payload: payload, resultCount: 1000)
                    count += 1
                }
                return count
            }
        }
        var total = 0
        for _ in 0..<writers { total += try await group.next() ?? 0 }
        group.cancelAll()
        return total
    }
    await spool.close()
    let rate = row(
        "spool \(policyName) \(size / 1000) KB x\(writers)", records: count, bytes: count * size,
        elapsed: clock.now - start)
    return (directory, rate)
}

/// Reopens `directory` (timing the recovery scan) and replays everything, acknowledging.
func replayCase(directory: String, size: Int) async throws {
    let openStart = clock.now
    let spool = try Spool.open(directory: directory, configuration: configuration(.everyBatch), logger: logger)
    let opened = clock.now - openStart
    let stats = await spool.stats
    let start = clock.now
    var count = 0
    var bytes = 0
    for await record in spool.replay(inFlightLimit: 1024, bytesPerSecond: nil) {
        count += 1
        bytes += record.payload.count
        if count % 64 == 0 || record.sequence == stats.lastSequence {
            try await spool.acknowledge(through: record.sequence)
        }
        if record.sequence == stats.lastSequence { break }
    }
    _ = row(
        "replay \(size / 1000) KB (open \(String(format: "%.0f", seconds(opened) * 1000)) ms, \(stats.bytes >> 20) MiB)",
        records: count, bytes: bytes, elapsed: clock.now - start)
    await spool.close()
}

try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: root) }
print("SpoolBench in \(root), \(secondsPerCase) s per case")
for size in [1_000, 40_000] {
    let raw = try rawBaseline(size: size, sync: true)
    try rawBaseline(size: size, sync: false)
    let everyBatch = try await appendCase(size: size, policy: .everyBatch, policyName: "every-batch", writers: 1).rate
    _ = try await appendCase(size: size, policy: .everyBatch, policyName: "every-batch", writers: 8)
    let group = try await appendCase(
        size: size, policy: .groupCommit(interval: .milliseconds(10)), policyName: "group-10ms", writers: 1
    ).rate
    let (directory, _) = try await appendCase(
        size: size, policy: .groupCommit(interval: .milliseconds(10)),
        policyName: "group-10ms", writers: 8)
    try await replayCase(directory: directory, size: size)
    for (name, rate) in [("spool-fsync-every-batch", everyBatch), ("spool-group-commit-10ms", group)] {
        print(
            "RESULT name=\(name) size=\(size / 1000)-KB-records"
                + String(format: " ours=%.0f reference=%.0f unit=rec/s ratio=%.2f", rate, raw, rate / raw))
    }
}
