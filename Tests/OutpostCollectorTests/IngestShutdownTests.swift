import Logging
import MetricsTestKit
import OutpostCollector
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import ServiceLifecycle
import Testing

@Suite("Ingest shutdown", .tags(.postgres), .needsPostgres, .needsPostgresBinaries)
struct IngestShutdownTests {
    /// A collector asked to stop while PostgreSQL is down must stop, not retry its queued groups
    /// until the database returns (systemd would end it at its stop timeout). The batches are
    /// given up unacknowledged: the agents still hold them and send them again.
    @Test("graceful shutdown with PostgreSQL down gives up the queued batch unacknowledged and ends")
    func shutdownWithDatabaseDown() async throws {
        try await IngestPipelineTests.withOwnServer(agents: 1) { cluster, _, database, fleet in
            let (agent, device) = fleet[0]
            let metrics = TestMetrics()
            var configuration = IngestPipeline.Configuration()
            configuration.maxRetryDelay = .milliseconds(200)
            let logger = Logger(label: "outpost.test.shutdown")
            let pipeline = IngestPipeline(
                database: database.url, configuration: configuration, logger: logger, metricsFactory: metrics)
            let failures = { (try? metrics.expectCounter("outpost_ingest_commit_failures_total").totalValue) ?? 0 }
            try cluster.kill()
            let services = ServiceGroup(configuration: .init(services: [.init(service: pipeline)], logger: logger))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await services.run() }
                let submission = Task {
                    try await pipeline.submit(IngestPipelineTests.batch(agent, device, sequence: 1, rows: 100))
                }
                // The group is being retried while the server is down.
                while failures() < 2 { try await Task.sleep(for: .milliseconds(20)) }
                await services.triggerGracefulShutdown()
                await #expect(throws: IngestPipeline.ShuttingDown.self) { _ = try await submission.value }
                try await group.waitForAll()
                #expect(pipeline.queuedRows == 0)
            }
            try cluster.start()
            let fresh = try await database.connect()
            #expect(try await fresh.integer("SELECT count(*) FROM ping_results") == 0)
            try await fresh.close()
        }
    }
}
