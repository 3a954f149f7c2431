import MetricsTestKit
import OutpostCollector
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Ingest commit deadline", .tags(.postgres), .needsPostgres, .needsPostgresBinaries)
struct IngestCommitDeadlineTests {
    /// The server stops in the middle of a COPY (a trigger waits for an advisory lock the test
    /// holds) until the commit is past its deadline. The pipeline must end that attempt on the
    /// server (closing the connection from the client leaves the server process waiting, with
    /// the agent's sequence row locked, and postgres-nio 1.33 stops the process with a
    /// precondition failure when its client closes a connection while a COPY streams), retry on
    /// a new connection and commit the batch once.
    @Test(
        "a commit past its deadline in the middle of a COPY is ended on the server, and the batch commits once on retry"
    )
    func deadlineMidCopy() async throws {
        try await TestDatabase.withMigrated { db, database in
            let (agent, device) = try await IngestPipelineTests.fixture(db, agents: 1)[0]
            try await db.query(
                """
                CREATE FUNCTION hold_copy() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.device_ip = 's1r0' THEN
                        PERFORM pg_advisory_lock_shared(4242);
                        PERFORM pg_advisory_unlock_shared(4242);
                    END IF;
                    RETURN NEW;
                END $$
                """, logger: TestDatabase.logger)
            try await db.query(
                "CREATE TRIGGER hold_copy BEFORE INSERT ON ping_results FOR EACH ROW EXECUTE FUNCTION hold_copy()",
                logger: TestDatabase.logger)
            try await db.query("SELECT pg_advisory_lock(4242)", logger: TestDatabase.logger)

            var configuration = IngestPipeline.Configuration()
            configuration.commitTimeout = .seconds(3)
            configuration.maxRetryDelay = .milliseconds(200)
            // Few enough rows that an attempt's own work (debug build, loaded CI) is far below the deadline.
            let rows = 5_000
            let waiting =
                "SELECT pid::text FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'"
            try await IngestPipelineFixture.withPipeline(database.url, configuration: configuration) { pipeline in
                async let disposition = pipeline.submit(
                    IngestPipelineTests.batch(agent, device, sequence: 1, rows: rows))
                let limit = ContinuousClock.now + .seconds(60)
                // The first attempt's server process stops at the first row of its COPY...
                var first: [String] = []
                while first.isEmpty, ContinuousClock.now < limit {
                    try await Task.sleep(for: .milliseconds(20))
                    first = try await db.strings(waiting)
                }
                let firstProcess = try #require(first.first, "the COPY never reached the trigger")
                // ...and is terminated at the deadline (gone, not only done waiting); the retry's
                // process then waits there.
                let firstGone = "SELECT count(*) FROM pg_stat_activity WHERE pid = \(firstProcess)"
                var retried = false
                while !retried, ContinuousClock.now < limit {
                    try await Task.sleep(for: .milliseconds(20))
                    let now = try await db.strings(waiting)
                    let firstRemains = try await db.integer(firstGone) > 0
                    retried = !now.isEmpty && !now.contains(firstProcess) && !firstRemains
                }
                #expect(retried, "the timed-out attempt's server process was not ended, or no retry reached the COPY")
                try await db.query("SELECT pg_advisory_unlock(4242)", logger: TestDatabase.logger)
                // A retry can pass its own deadline before the lock is released, and still commit
                // after it: the next attempt then finds the batch committed. Once is what counts.
                #expect([.committed, .duplicate].contains(try await disposition))
            }
            #expect(try await db.integer("SELECT count(*) FROM ping_results") == rows)
            #expect(try await db.integer("SELECT count(DISTINCT device_ip) FROM ping_results") == rows)
            #expect(
                try await db.integer("SELECT high_water FROM agent_sequences WHERE agent_id = '\(agent.uuid)'") == 1)
        }
    }

    /// A server that answers nothing (every process stopped): the writer's connection hangs in
    /// its COPY, and a new connection hangs before its first answer. postgres-nio gives up
    /// opening a connection only after its 10 s connect timeout, and CI saw opening one across
    /// a server crash never end: opening is inside the commit deadline, so every attempt ends
    /// at the deadline and the writer keeps retrying until the server answers again.
    @Test(
        "a server that stops answering: every attempt, opening its connection included, ends at the deadline; the batch commits once after"
    )
    func frozenServer() async throws {
        try await IngestPipelineTests.withOwnServer(agents: 1) { cluster, db, database, fleet in
            let (agent, device) = fleet[0]
            let metrics = TestMetrics()
            var configuration = IngestPipeline.Configuration()
            configuration.writers = 1
            configuration.commitTimeout = .seconds(1)
            configuration.maxRetryDelay = .milliseconds(200)
            let pipeline = IngestPipeline(
                database: database.url, configuration: configuration, logger: TestDatabase.logger,
                metricsFactory: metrics)
            let failures = { (try? metrics.expectCounter("outpost_ingest_commit_failures_total").totalValue) ?? 0 }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pipeline.run() }
                defer { group.cancelAll() }
                // The writer holds an open connection when the server stops. (On a loaded machine
                // the first attempt can outlast 1 s and still commit: the retry finds it done.)
                #expect(
                    [.committed, .duplicate].contains(
                        try await pipeline.submit(IngestPipelineTests.batch(agent, device, sequence: 1, rows: 100))))
                try cluster.freeze()
                let frozen = ContinuousClock.now
                async let second = pipeline.submit(IngestPipelineTests.batch(agent, device, sequence: 2, rows: 100))
                // One attempt on the open connection, three on new ones.
                while failures() < 4 { try await Task.sleep(for: .milliseconds(20)) }
                let elapsed = frozen.duration(to: .now)
                try cluster.thaw()
                // The first attempt's COPY may finish after the thaw and commit the batch: the
                // retry then finds it committed.
                #expect([.committed, .duplicate].contains(try await second))
                #expect(elapsed < .seconds(9), "four attempts took \(elapsed): one waited past its 1 s deadline")
            }
            #expect(try await db.integer("SELECT count(*) FROM ping_results") == 200)
            #expect(try await db.integer("SELECT count(DISTINCT device_ip) FROM ping_results") == 200)
            #expect(
                try await db.integer("SELECT high_water FROM agent_sequences WHERE agent_id = '\(agent.uuid)'") == 2)
        }
    }
}
