import Foundation
import OutpostCore
import OutpostPKI
import OutpostTestSupport
import Testing

@testable import OutpostAgent

/// The batcher's two reasons to cut a batch, read back from a real spool as the uplink reads it.
@Suite("Batching probe results")
struct BatcherTests {
    @Test("a full batch is cut at once; what is left goes out when the results end")
    func cutWhenFull() async throws {
        let batches = try await recordedBatches(of: 25, maximumResults: 10, maximumDelay: .seconds(3_600), finish: true)
        #expect(batches.map(\.resultCount) == [10, 10, 5])
    }

    @Test("a lone result goes out once it waited the deadline, not before, while the stream stays open")
    func cutAtTheDeadline() async throws {
        let deadline = Duration.milliseconds(250)
        let started = ContinuousClock.now
        let batches = try await recordedBatches(of: 1, maximumResults: 1_000, maximumDelay: deadline, finish: false)
        #expect(batches.map(\.resultCount) == [1])
        #expect(started.duration(to: .now) >= deadline)
    }

    @Test("a queued result is one reference, so a drained backlog's buffer keeps a word per result")
    func queuedResultIsOneWord() {
        #expect(MemoryLayout<ProbeResult>.stride == MemoryLayout<UnsafeRawPointer>.stride)
        #expect(MemoryLayout<ProbeResult?>.stride == MemoryLayout<UnsafeRawPointer>.stride)
    }

    /// Feeds `count` ping results to a batcher over a real spool and returns the batches the
    /// spool replays until they hold all `count` results; `finish` ends the results stream first.
    private func recordedBatches(
        of count: Int, maximumResults: Int, maximumDelay: Duration, finish: Bool
    ) async throws -> [SpoolRecord] {
        try await withTemporaryDirectory("batcher") { directory in
            try await withSpool(in: directory) { spool in
                let batcher = Batcher(
                    agentID: AgentID(UUID()), key: P256Key.generate(), spool: spool, maximumResults: maximumResults,
                    maximumDelay: maximumDelay, logger: testLogger)
                let (results, feed) = AsyncStream.makeStream(of: ProbeResult.self)
                return await withTaskGroup(of: [SpoolRecord].self) { group in
                    group.addTask {
                        await spool.run()
                        return []
                    }
                    group.addTask {
                        await batcher.run(results)
                        return []
                    }
                    for index in 0..<count {
                        feed.yield(
                            .ping(
                                PingRoundResult(
                                    deviceID: DeviceID(UUID()), deviceIP: "127.0.0.\(index % 250 + 1)",
                                    timestamp: Date(),
                                    packetsSent: 1, packetsReceived: 1, minRTT: 0.1, avgRTT: 0.1, maxRTT: 0.1,
                                    stddevRTT: 0)))
                    }
                    if finish { feed.finish() }
                    var records: [SpoolRecord] = []
                    for await record in spool.replay(inFlightLimit: 1_000, bytesPerSecond: nil) {
                        records.append(record)
                        if records.reduce(0, { $0 + Int($1.resultCount) }) >= count { break }
                    }
                    feed.finish()
                    group.cancelAll()
                    return records
                }
            }
        }
    }
}
