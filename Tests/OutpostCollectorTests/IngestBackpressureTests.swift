import MetricsTestKit
import OutpostCollector
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@Suite("Ingest backpressure", .tags(.postgres), .needsPostgres)
struct IngestBackpressureTests {
    /// Three submissions wait for space while a group is stuck. When it commits, the space it
    /// frees takes one of them, not all three: each reserves its rows before it is queued.
    @Test("space freed by a commit admits only what fits: the queue never holds more than maxQueuedRows")
    func freedSpaceAdmitsOnlyWhatFits() async throws {
        try await TestDatabase.withMigrated { db, database in
            let fleet = try await IngestPipelineTests.fixture(db, agents: 4)
            let (stuck, stuckDevice) = fleet[0]
            // Another transaction holds the stuck agent's sequence row: its group waits on the lock.
            let locker = try await IngestPipelineTests.lockSequence(of: stuck, db: db, database: database)

            let metrics = TestMetrics()
            var configuration = IngestPipeline.Configuration()
            configuration.maxQueuedRows = 100
            let pipeline = IngestPipeline(
                database: database.url, configuration: configuration, logger: TestDatabase.logger,
                metricsFactory: metrics)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pipeline.run() }
                defer { group.cancelAll() }
                try await withThrowingTaskGroup(of: IngestPipeline.Disposition.self) { submissions in
                    submissions.addTask {
                        try await pipeline.submit(IngestPipelineTests.batch(stuck, stuckDevice, sequence: 1, rows: 60))
                    }
                    while try await db.integer(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    ) == 0 {
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    // 60 rows queued: another 60 do not fit under 100.
                    for (agent, device) in fleet.dropFirst() {
                        submissions.addTask {
                            try await pipeline.submit(IngestPipelineTests.batch(agent, device, sequence: 1, rows: 60))
                        }
                    }
                    while pipeline.submissionsWaitingForSpace < 3 { try await Task.sleep(for: .milliseconds(20)) }
                    try await locker.query("COMMIT", logger: TestDatabase.logger)
                    for try await disposition in submissions { #expect(disposition == .committed) }
                }
            }
            try await locker.close()
            let queued = try metrics.expectGauge("outpost_ingest_queued_rows").values
            #expect(queued.max() == 60, "at most one 60-row batch fits under 100 at a time: \(queued)")
            #expect(queued.last == 0)
            #expect(try await db.integer("SELECT count(*) FROM ping_results") == 4 * 60)
        }
    }
}
