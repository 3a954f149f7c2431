import Foundation
import MetricsTestKit
import OutpostCore
import OutpostTestSupport
import Testing

@testable import OutpostAgent

@Suite("Capacity caps")
struct CapacityTests {
    /// ``smallConfiguration(segmentBytes:maxRecordBytes:)`` capped at 64 KiB: four 16 KiB segments.
    private func cappedConfiguration() -> SpoolConfiguration {
        var configuration = smallConfiguration()
        configuration.maxBytes = 64 << 10
        return configuration
    }

    @Test("past the byte cap the oldest segments go first and every dropped result is counted, metered and reported")
    func byteCap() async throws {
        let metrics = TestMetrics()
        let configuration = cappedConfiguration()
        try await withTemporarySpool(configuration, metrics: metrics) { spool, directory in
            var resultCounts: [BatchSequence: UInt32] = [:]
            for index in 0..<300 {
                let count = UInt32(index % 7 + 1)
                let sequence = try await spool.append(payload: testPayload(index), resultCount: count)
                resultCounts[sequence] = count
            }
            let stats = await spool.stats
            #expect(stats.bytes <= configuration.maxBytes + Int64(configuration.segmentBytes))
            let kept = await spool.readAll()
            // The newest are kept, contiguous up to the last one; everything older is gone.
            #expect(kept.last?.sequence == 300)
            #expect(kept.map(\.sequence) == Array(kept.first!.sequence...300))
            let dropped = (1..<kept.first!.sequence).map { resultCounts[$0]! }
            #expect(stats.droppedBatches == UInt64(dropped.count))
            #expect(stats.droppedResults == dropped.reduce(0) { $0 + UInt64($1) })
            #expect(
                try metrics.expectCounter("outpost_agent_spool_dropped_results_total").totalValue
                    == Int64(stats.droppedResults))
            #expect(
                try metrics.expectCounter("outpost_agent_spool_dropped_batches_total").totalValue
                    == Int64(stats.droppedBatches))

            let report = await spool.unreportedDrops
            #expect(
                report == SpoolDropReport(droppedResults: stats.droppedResults, droppedBatches: stats.droppedBatches))
            await spool.close()

            // The report survives a restart until it is confirmed, and only once.
            try await withSpool(in: directory.path, configuration) { reopened in
                #expect(await reopened.unreportedDrops == report)
                await reopened.markDropsReported(report)
                #expect(await reopened.unreportedDrops.isEmpty)
                #expect(await reopened.stats.droppedResults == stats.droppedResults)
            }
            try await withSpool(in: directory.path, configuration) { again in
                #expect(await again.unreportedDrops.isEmpty)
            }
        }
    }

    @Test("a dropped segment that was partly acknowledged counts only its unacknowledged batches")
    func partlyAcknowledgedDrop() async throws {
        try await withTemporarySpool(cappedConfiguration()) { spool, _ in
            // 15 records of 1,028 bytes fit a 16 KiB segment: acknowledge 10 of the first segment, then
            // fill five segments so that starting the sixth drops the first (cap 64 KiB).
            try await spool.appendTestPayloads(0..<20, resultCount: 3)
            try await spool.acknowledge(through: 10)
            try await spool.appendTestPayloads(20..<76, resultCount: 3)
            let stats = await spool.stats
            #expect(stats.droppedBatches == 5)
            #expect(stats.droppedResults == 15)
            #expect(await spool.readAll().first?.sequence == 16)
        }
    }

    @Test("past the age cap the oldest segments are dropped and counted")
    func ageCap() async throws {
        let clock = TestClock()
        var configuration = smallConfiguration()
        configuration.maxAge = .seconds(7 * 86_400)
        try await withTemporarySpool(configuration, clock: clock) { spool, _ in
            try await spool.appendTestPayloads(0..<30, resultCount: 10)
            clock.advance(by: 6 * 86_400)
            try await spool.appendTestPayloads(30..<45, resultCount: 10)
            clock.advance(by: 86_400 + 1)
            await spool.maintain()
            // Segments of day 0 (sequences 1...30) are past 7 days; the one holding day-6 records is not.
            let kept = await spool.readAll()
            #expect(kept.first?.sequence == 31)
            #expect(kept.last?.sequence == 45)
            let stats = await spool.stats
            #expect(stats.droppedBatches == 30)
            #expect(stats.droppedResults == 300)
            #expect(stats.oldestRecordCreatedAt == Date(timeIntervalSince1970: 1_800_000_000 + 6 * 86_400))
        }
    }
}
