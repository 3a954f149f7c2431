import Foundation
import OutpostCollector
import OutpostCore
import OutpostStore
import OutpostTestSupport
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Operator HTTP: /metrics", .tags(.postgres), .needsPostgres)
struct MetricsEndpointTests {
    /// Every ingest metric the collector exports.
    static let ingestMetrics = [
        "outpost_ingest_batches_total", "outpost_ingest_duplicate_batches_total", "outpost_ingest_rows_total",
        "outpost_ingest_unknown_device_rows_total", "outpost_ingest_commit_failures_total",
        "outpost_ingest_queued_rows",
        "outpost_ingest_commit_seconds_count", "outpost_ingest_group_batches_count",
    ]

    @Test("ingest metrics are exported in Prometheus text and follow what the pipeline commits")
    func ingestMetricsChange() async throws {
        try await TestDatabase.withMigrated { db, database in
            let fleet = try await IngestPipelineTests.fixture(db, agents: 1)
            let (agent, device) = fleet[0]
            let http = OperatorHTTPFixture()
            let pipeline = IngestPipeline(
                database: database.url, logger: OperatorHTTPFixture.logger, metricsFactory: http.metricsFactory)
            try await http.withServer(database: database.url) { client in
                let before = try await client.get("/metrics")
                #expect(before.status == 200)
                #expect(before.contentType?.hasPrefix("text/plain; version=0.0.4") == true)
                let initial = PrometheusText(text: before.text)
                for name in Self.ingestMetrics {
                    #expect(
                        initial.value(name) == 0,
                        "\(name) before any commit: \(initial.value(name).map { "\($0)" } ?? "missing")")
                }

                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await pipeline.run() }
                    defer { group.cancelAll() }
                    for sequence in 1...3 {
                        _ = try await pipeline.submit(
                            IngestPipelineTests.batch(agent, device, sequence: BatchSequence(sequence), rows: 50))
                    }
                    #expect(
                        try await pipeline.submit(IngestPipelineTests.batch(agent, device, sequence: 2, rows: 50))
                            == .duplicate)
                }
                let after = PrometheusText(text: try await client.get("/metrics").text)
                #expect(after.value("outpost_ingest_batches_total") == 3)
                #expect(after.value("outpost_ingest_rows_total") == 150)
                #expect(after.value("outpost_ingest_duplicate_batches_total") == 1)
                #expect(after.value("outpost_ingest_queued_rows") == 0)
                let commits = try #require(after.value("outpost_ingest_commit_seconds_count"))
                #expect(commits == 4, "one group commit per submission, submitted one after another")
                #expect(after.value("outpost_ingest_group_batches_count") == commits)
                #expect(after.value("outpost_ingest_group_batches_sum") == 4)
                // Every commit is under the largest bucket, and the histogram is cumulative.
                #expect(after.value(#"outpost_ingest_commit_seconds_bucket{le="30.0"}"#) == commits)
                #expect(after.value(#"outpost_ingest_commit_seconds_bucket{le="+Inf"}"#) == commits)
                #expect((after.value("outpost_ingest_commit_seconds_sum") ?? 0) > 0)
            }
        }
    }
}
