import Foundation
import OutpostCore
import OutpostTestSupport
import Testing

@testable import OutpostAgent
@testable import spool_stress

/// Runs `spool-stress` (built next to this test bundle) and kills it with SIGKILL.
private struct StressProcess {
    /// What one run printed before it died.
    struct Output {
        var acked: [BatchSequence: (seed: UInt64, index: UInt64)] = [:]
        var acknowledged: BatchSequence = 0
    }

    /// Starts the writer, kills it after `delay`, and returns what it printed.
    static func runAndKill(directory: String, policy: String, seed: UInt64, after delay: Duration) async throws
        -> Output
    {
        let process = ChildProcess(
            try BuiltProduct.path("spool-stress", overriddenBy: "SPOOL_STRESS_BIN"), [directory, policy, String(seed)])
        // The random kill moment (not a synchronisation: any moment is a valid crash point).
        try await Task.sleep(for: delay)
        let status = await process.stop()
        #expect(status?.wasSignaled == true)
        return parse(process.output)
    }

    private static func parse(_ text: String) -> Output {
        var output = Output()
        // Only whole lines: each was one write(2), so a line is either complete or absent.
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 4, fields[0] == "acked", let sequence = BatchSequence(fields[1]),
                let seed = UInt64(fields[2]), let index = UInt64(fields[3])
            {
                output.acked[sequence] = (seed, index)
            } else if fields.count == 2, fields[0] == "ack", let sequence = BatchSequence(fields[1]) {
                output.acknowledged = max(output.acknowledged, sequence)
            }
        }
        return output
    }
}

@Suite("Crash safety (kill -9)")
struct CrashStressTests {
    @Test(
        "killed at random moments while appending: nothing acknowledged is missing, nothing torn is read, sequences never go back",
        .timeLimit(.minutes(3)))
    func killNineDuringWrites() async throws {
        try await withTemporaryDirectory { directory in
            let spoolPath = directory + "/spool"
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(30)
            var highestSeen: BatchSequence = 0
            var iterations = 0
            var printedTotal = 0
            var tornTailBytes: UInt64 = 0
            while clock.now < deadline || iterations < 10 {
                let seed = UInt64(iterations + 1)
                let policy = iterations % 2 == 0 ? "every" : "group"
                let delay = Duration.milliseconds(Int.random(in: 20...400))
                let output = try await StressProcess.runAndKill(
                    directory: spoolPath, policy: policy, seed: seed, after: delay)
                iterations += 1
                printedTotal += output.acked.count

                // Sequences handed out in this run are above everything any earlier run handed out.
                if let lowest = output.acked.keys.min() {
                    #expect(
                        lowest > highestSeen,
                        "iteration \(iterations): sequence \(lowest) went back (had \(highestSeen))")
                }

                let spool = try Spool.open(
                    directory: spoolPath, configuration: stressConfiguration(policy: policy),
                    logger: testLogger)
                let stats = await spool.stats
                tornTailBytes += stats.tornTailBytesTruncated
                let records = await spool.readAll()
                await spool.close()

                // Records come back in order, and every one is exactly what some writer appended.
                #expect(records.map(\.sequence) == records.map(\.sequence).sorted())
                #expect(Set(records.map(\.sequence)).count == records.count)
                for record in records {
                    let claimed = StressPayload.check(record.payload)
                    #expect(
                        claimed != nil, "iteration \(iterations): sequence \(record.sequence) has a damaged payload")
                    #expect(record.resultCount == StressPayload.resultCount(of: record.payload))
                }
                // Every batch whose append returned and that is not acknowledged is present and intact.
                let bySequence = Dictionary(uniqueKeysWithValues: records.map { ($0.sequence, $0) })
                for (sequence, origin) in output.acked where sequence > stats.acknowledgedThrough {
                    let record = bySequence[sequence]
                    #expect(record != nil, "iteration \(iterations): acknowledged append \(sequence) is missing")
                    if let record {
                        #expect(record.payload == StressPayload.make(seed: origin.seed, index: origin.index))
                    }
                }
                // The persisted acknowledgement never exceeds what was handed out.
                #expect(stats.acknowledgedThrough <= max(stats.lastSequence, highestSeen))
                highestSeen = max(
                    highestSeen, output.acked.keys.max() ?? 0, records.last?.sequence ?? 0, stats.lastSequence)
            }
            #expect(iterations >= 10)
            #expect(printedTotal > 100, "the writer appended too little to test anything")
            print(
                "kill -9 stress: \(iterations) kills, \(printedTotal) acknowledged appends checked, \(tornTailBytes) torn-tail bytes truncated"
            )
        }
    }
}
