import OutpostCollector
import OutpostStore
import OutpostTestSupport

/// A running ingest pipeline for tests that submit batches to it directly.
enum IngestPipelineFixture {
    /// Runs `body` with a running pipeline on `url`'s database.
    static func withPipeline(
        _ url: DatabaseURL, configuration: IngestPipeline.Configuration = .init(),
        _ body: @Sendable (IngestPipeline) async throws -> Void
    ) async throws {
        let pipeline = IngestPipeline(database: url, configuration: configuration, logger: TestDatabase.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pipeline.run() }
            defer { group.cancelAll() }
            try await body(pipeline)
        }
    }
}
