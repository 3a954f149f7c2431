import Foundation
import OutpostCore
import OutpostTestSupport
import Testing

@testable import OutpostAgent

/// The collector's side of the contract: commit a batch only when its sequence is above the
/// agent's high-water mark, acknowledge the high-water mark (what OutpostCollector does in one
/// transaction with the rows).
private actor HighWaterCollector {
    private(set) var highWater: BatchSequence = 0
    private(set) var committed: [BatchSequence: [UInt8]] = [:]
    private(set) var deliveries = 0
    private(set) var duplicates = 0
    private(set) var outOfOrder = 0

    func ingest(_ record: SpoolRecord) -> BatchSequence {
        deliveries += 1
        if record.sequence <= highWater {
            duplicates += 1
        } else {
            if committed[record.sequence] != nil { outOfOrder += 1 }
            committed[record.sequence] = record.payload
            highWater = record.sequence
        }
        return highWater
    }

    var count: Int { committed.count }
}

/// One connection: the agent sends the replay over a "network" stream; the collector ingests and
/// acknowledges. The connection ends when `stop` says so (a drop: in-flight batches are lost).
private func connect(
    _ spool: Spool, _ collector: HighWaterCollector, inFlightLimit: Int,
    acknowledgeUntil ackLimit: Int = .max, stop: @escaping @Sendable (Int) -> Bool
) async {
    let (network, sender) = AsyncStream<SpoolRecord>.makeStream()
    await withTaskGroup(of: Void.self) { group in
        group.addTask {
            var received = 0
            for await record in network {
                received += 1
                let highWater = await collector.ingest(record)
                if received <= ackLimit { try? await spool.acknowledge(through: highWater) }
                if stop(await collector.count) { return }
            }
        }
        group.addTask {
            for await record in spool.replay(inFlightLimit: inFlightLimit, bytesPerSecond: nil) {
                sender.yield(record)
            }
        }
        await group.next()
        group.cancelAll()
    }
}

@Suite("Outage and replay")
struct OutageReplayTests {
    @Test(
        "every batch produced during a long outage arrives exactly once after reconnect, with live data and a dropped connection",
        .timeLimit(.minutes(3)))
    func longOutage() async throws {
        try await withTemporaryDirectory { directory in
            var configuration = smallConfiguration(segmentBytes: 256 << 10, maxRecordBytes: 16 << 10)
            configuration.syncPolicy = .groupCommit(interval: .milliseconds(5))
            var produced: [BatchSequence: [UInt8]] = [:]

            func produce(_ indices: Range<Int>, into spool: Spool) async throws {
                for index in indices {
                    let payload = testPayload(index, size: 200 + index % 3000)
                    produced[try await spool.append(payload: payload, resultCount: UInt32(index % 1000 + 1))] = payload
                }
            }

            // Outage, part 1, then an agent restart, then part 2: 3,000 batches nobody receives.
            try await withSpool(in: directory, configuration) { try await produce(0..<1_500, into: $0) }
            let spool = try openSpool(directory, configuration)
            try await produce(1_500..<3_000, into: spool)

            let collector = HighWaterCollector()
            let live = 500
            let total = produced.count + live
            try await withThrowingTaskGroup(of: [BatchSequence: [UInt8]].self) { group in
                let agentSpool = spool
                // The spool's timed duties (group commit) run as in the agent.
                group.addTask {
                    await agentSpool.run()
                    return [:]
                }
                // Live data keeps being spooled during the replay.
                group.addTask {
                    var live: [BatchSequence: [UInt8]] = [:]
                    for index in 3_000..<3_500 {
                        let payload = testPayload(index, size: 200 + index % 3000)
                        live[try await agentSpool.append(payload: payload, resultCount: 1)] = payload
                        await Task.yield()
                    }
                    return live
                }
                // Connection 1 drops after 1,000 batches; its last acknowledgements are lost.
                await connect(agentSpool, collector, inFlightLimit: 16, acknowledgeUntil: 990) { $0 >= 1_000 }
                // Connection 2 runs until everything arrived.
                await connect(agentSpool, collector, inFlightLimit: 16) { $0 >= total }
                // The producer has finished (all of its batches arrived); stop the timed duties.
                for _ in 0..<2 {
                    if let live = try await group.next(), !live.isEmpty {
                        produced.merge(live) { old, _ in old }
                        group.cancelAll()
                    }
                }
            }
            await spool.maintain()

            #expect(produced.count == total)
            #expect(await collector.count == total)
            #expect(await collector.committed == produced)
            let duplicates = await collector.duplicates
            // Batches 991...1000 were committed but not acknowledged: the new connection resends from
            // 991 until the collector's high-water acknowledgement (1000) lets the replay skip ahead.
            #expect(duplicates >= 1)
            #expect(await collector.outOfOrder == 0)
            #expect(await collector.deliveries == total + duplicates)
            // Everything acknowledged: nothing left to replay, only the active segment remains.
            #expect(await spool.readAll().isEmpty)
            #expect(try spool.segmentFiles(in: directory).count == 1)
            await spool.close()
        }
    }

    @Test("the replay stops at the in-flight limit and continues after an acknowledgement")
    func inFlightWindow() async throws {
        try await withTemporarySpool { spool, _ in
            for index in 0..<10 { _ = try await spool.append(payload: testPayload(index), resultCount: 1) }
            let full = await spool.replayStep(after: 3, position: nil, inFlight: [1, 2, 3], limit: 3)
            #expect(full.record == nil)
            try await spool.acknowledge(through: 1)
            let open = await spool.replayStep(after: 3, position: nil, inFlight: [1, 2, 3], limit: 3)
            #expect(open.record?.sequence == 4)
            #expect(open.acknowledgedThrough == 1)

            // Through the public stream: three records, then the fourth only after an acknowledgement.
            var iterator = spool.replay(inFlightLimit: 3, bytesPerSecond: nil).makeAsyncIterator()
            var got: [BatchSequence] = []
            for _ in 0..<3 { got.append(await iterator.next()!.sequence) }
            #expect(got == [2, 3, 4])
            try await spool.acknowledge(through: 2)
            #expect(await iterator.next()?.sequence == 5)
            await spool.close()
            #expect(await iterator.next() == nil)
        }
    }

    @Test("a waiting replay wakes for a new durable batch and ends when its task is cancelled")
    func replayWaitsForNewData() async throws {
        try await withTemporarySpool { spool, _ in
            let first = Task {
                var iterator = spool.replay(inFlightLimit: 8, bytesPerSecond: nil).makeAsyncIterator()
                return await iterator.next()
            }
            _ = try await spool.append(payload: testPayload(7), resultCount: 1)
            #expect(await first.value?.payload == testPayload(7))

            try await spool.acknowledge(through: 1)
            let waiting = Task {
                var iterator = spool.replay(inFlightLimit: 8, bytesPerSecond: nil).makeAsyncIterator()
                return await iterator.next()
            }
            waiting.cancel()
            #expect(await waiting.value == nil)
        }
    }

    @Test("the rate limiter lets one second of bytes through, then paces to the configured rate")
    func rateLimiter() {
        let start = ContinuousClock.now
        var limiter = ReplayRateLimiter(bytesPerSecond: 100_000, now: start)
        #expect(limiter.delay(for: 60_000, at: start) == .zero)
        #expect(limiter.delay(for: 40_000, at: start) == .zero)
        #expect(limiter.delay(for: 50_000, at: start) == .milliseconds(500))
        // Half a second later the debt is paid; 10 ms of credit buys 1,000 bytes.
        #expect(limiter.delay(for: 1_000, at: start + .milliseconds(510)) == .zero)
        #expect(limiter.delay(for: 1_000, at: start + .milliseconds(510)) == .milliseconds(10))
        // A record larger than the bucket passes, delaying the next ones.
        var big = ReplayRateLimiter(bytesPerSecond: 1_000, now: start)
        #expect(big.delay(for: 5_000, at: start) == .seconds(4))
    }
}
