import Foundation
import Logging
import OutpostAgent
import OutpostCollector
import OutpostCore
import OutpostPKI
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

/// SIGTERM ends the real collector within 10 s even while an ingest transaction is stuck
/// behind a lock (a commit that would only give up at its 30 s deadline), and nothing it did
/// not commit is acknowledged.
@Suite("Collector SIGTERM is bounded", .tags(.postgres, .timing), .needsQuietMachine, .needsPostgres)
struct BoundedShutdownTests {
    static let logger = Logger(label: "outpost.test.sigterm")

    @Test("SIGTERM with a group commit stuck behind a lock: the process is gone within 10 s", .timeLimit(.minutes(2)))
    func sigtermWithAStuckCommit() async throws {
        try await TransportFixture.withAgent("agent-term", devices: 5) { db, database, fixture, credentials, devices in
            let caDirectory = try CollectorProcess.caDirectory(of: fixture)
            let agentPort = try FreePort.tcp()
            let collector = try CollectorProcess(
                database: database.url, caDirectory: caDirectory, agentPort: agentPort, enrolPort: try FreePort.tcp(),
                logPath: fixture.directory + "/collector.log")

            // The ingest transaction will wait on this row lock after its COPY.
            let locker = try await database.connect()
            try await locker.query("BEGIN", logger: Self.logger)
            try await locker.query(
                "SELECT id FROM standalone_devices WHERE id = \(devices[0].uuid) FOR UPDATE", logger: Self.logger)

            let spool = try Spool.open(directory: fixture.directory + "/spool", logger: Self.logger)
            try await TransportFixture.spool([Date()], of: credentials, devices: devices, into: spool)
            var configuration = Uplink.Configuration(collectors: [
                CollectorAddress(host: "127.0.0.1", port: agentPort, serverName: "localhost")
            ])
            configuration.maximumBackoff = .seconds(1)
            let uplink = Uplink(
                configuration: configuration,
                identity: try UplinkIdentity(stateDirectory: fixture.stateDirectory(of: "agent-term")),
                spool: spool, logger: Self.logger, configurationVersion: { nil }, applyConfiguration: { _ in })
            let uplinkTask = Task { await uplink.run() }
            defer { uplinkTask.cancel() }

            let blocked = try await database.eventually(
                """
                SELECT coalesce(max(pid), 0) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'UPDATE standalone_devices%'
                """, within: .seconds(60), until: { $0 != 0 })
            try #require(
                blocked != 0, "no ingest transaction waits on the lock; collector output:\n\(collector.output)")

            let signalled = ContinuousClock.now
            _ = await collector.stop(with: SIGTERM)
            let took = signalled.duration(to: .now)
            #expect(took < .seconds(10), "SIGTERM took \(took); collector output:\n\(collector.output)")

            try await locker.query("ROLLBACK", logger: Self.logger)
            try await locker.close()
            _ = try await database.eventually(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = \(blocked)", equals: 0, within: .seconds(60))
            #expect(try await db.integer("SELECT count(*) FROM ping_results") == 0)
            #expect(await spool.stats.acknowledgedThrough == 0, "a batch was acknowledged without a commit")
        }
    }
}
