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

/// Exactly-once across a collector killed with SIGKILL while an ingest transaction has
/// COPYed its rows and not committed.
///
/// No hook in the collector: the test holds a row lock on one of the agent's devices in its
/// own transaction. `IngestWriter` locks the agent's `agent_sequences` row, COPYs the rows,
/// then updates `standalone_devices`, where it waits for that lock — after the COPY and
/// before `SequenceLedger.save` and COMMIT. pg_stat_activity and pg_locks confirm the
/// collector's backend is there before the kill. The batches' rounds are 10 s apart, more
/// than the collector's device-state refresh (5 s), so every group updates the device rows.
@Suite("Collector killed between COPY and commit", .tags(.postgres), .needsPostgres)
struct CollectorKillNineTests {
    static let logger = Logger(label: "outpost.test.kill9")
    static let devicesPerBatch = 20
    static let batchesBeforeLock = 30
    static let batchesDuringLock = 50

    @Test(
        "kill -9 with a group copied but not committed: after restart and spool replay every result is in ping_results once",
        .timeLimit(.minutes(3)))
    func killBetweenCopyAndCommit() async throws {
        try await TransportFixture.with { db, database, fixture in
            let credentials = try await fixture.enrolAgent("agent-k9", db: db)
            let devices = try await fixture.addDevices(Self.devicesPerBatch, db: db)
            let caDirectory = try CollectorProcess.caDirectory(of: fixture)
            let agentPort = try FreePort.tcp()
            let enrolPort = try FreePort.tcp()
            let logPath = fixture.directory + "/collector.log"
            let startCollector = {
                try CollectorProcess(
                    database: database.url, caDirectory: caDirectory, agentPort: agentPort, enrolPort: enrolPort,
                    logPath: logPath)
            }

            let spool = try Spool.open(directory: fixture.directory + "/spool", logger: Self.logger)
            let start = Date().addingTimeInterval(-1_000)
            var produced = 0
            func spoolBatches(_ count: Int) async throws {
                for _ in 0..<count {
                    let at = start + Double(produced / Self.devicesPerBatch) * 10
                    _ = try await spool.append(resultCount: UInt32(Self.devicesPerBatch)) { sequence in
                        try TransportFixture.signedBatch(credentials, sequence: sequence, devices: devices, at: at)
                            .serializedBytes
                    }
                    produced += Self.devicesPerBatch
                }
            }
            var uplinkConfiguration = Uplink.Configuration(collectors: [
                CollectorAddress(host: "127.0.0.1", port: agentPort, serverName: "localhost")
            ])
            uplinkConfiguration.bytesPerSecond = nil
            uplinkConfiguration.maximumBackoff = .seconds(1)
            let uplink = Uplink(
                configuration: uplinkConfiguration,
                identity: try UplinkIdentity(stateDirectory: fixture.stateDirectory(of: "agent-k9")), spool: spool,
                logger: Self.logger, configurationVersion: { nil }, applyConfiguration: { _ in })
            let uplinkTask = Task { await uplink.run() }
            defer { uplinkTask.cancel() }

            // 1. A healthy collector commits the first batches.
            try await spoolBatches(Self.batchesBeforeLock)
            let first = try startCollector()
            let committedBefore = Self.batchesBeforeLock * Self.devicesPerBatch
            let settled = try await database.eventually(
                "SELECT coalesce(max(high_water), 0) FROM agent_sequences", equals: Self.batchesBeforeLock,
                within: .seconds(60))
            try #require(
                settled == Self.batchesBeforeLock,
                "collector did not commit the first batches; its output:\n\(first.output)")

            // 2. Block the next ingest transaction after its COPY.
            let locker = try await database.connect()
            try await locker.query("BEGIN", logger: Self.logger)
            try await locker.query(
                "SELECT id FROM standalone_devices WHERE id = \(devices[0].uuid) FOR UPDATE", logger: Self.logger)
            try await spoolBatches(Self.batchesDuringLock)
            let blocked = try await database.eventually(
                """
                SELECT coalesce(max(pid), 0) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'UPDATE standalone_devices%'
                """, within: .seconds(60), until: { $0 != 0 })
            try #require(
                blocked != 0, "no ingest transaction waits on the device lock; collector output:\n\(first.output)")
            let copiedPartitions = try await db.integer(
                """
                SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                WHERE l.pid = \(blocked) AND l.granted AND l.mode = 'RowExclusiveLock' AND c.relname LIKE 'ping\\_results\\_p%'
                """)
            #expect(
                copiedPartitions >= 1,
                "the waiting transaction holds no row-exclusive lock on a ping_results partition: it has not COPYed")
            #expect(
                try await db.integer("SELECT count(*) FROM ping_results") == committedBefore,
                "uncommitted rows are visible")

            // 3. kill -9 while the transaction is open; it never commits.
            #expect(await first.stop(with: SIGKILL) == .uncaughtSignal)
            #expect(
                try await db.integer(
                    "SELECT count(*) FROM pg_stat_activity WHERE pid = \(blocked) AND wait_event_type = 'Lock'") == 1,
                "the orphaned transaction should still wait on the lock after the kill")
            try await locker.query("ROLLBACK", logger: Self.logger)
            try await locker.close()
            let orphanGone = try await database.eventually(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = \(blocked)", equals: 0, within: .seconds(60))
            #expect(orphanGone == 0, "the dead collector's backend did not end")
            #expect(
                try await db.integer("SELECT count(*) FROM ping_results") == committedBefore,
                "the orphaned COPY was committed")
            #expect(try await db.integer("SELECT high_water FROM agent_sequences") == Self.batchesBeforeLock)
            #expect(
                await spool.stats.acknowledgedThrough <= BatchSequence(Self.batchesBeforeLock),
                "a batch was acknowledged without a commit")

            // 4. Restart: the agent replays its spool; every result lands exactly once.
            let second = try startCollector()
            let total = Self.batchesBeforeLock + Self.batchesDuringLock
            let rows = try await database.eventually(
                "SELECT count(*) FROM ping_results", equals: produced, within: .seconds(60))
            #expect(rows == produced, "collector output:\n\(second.output)")
            let highWater = try await database.eventually(
                "SELECT high_water FROM agent_sequences", equals: total, within: .seconds(60))
            #expect(highWater == total)
            #expect(try await db.strings("SELECT committed_above::text FROM agent_sequences") == ["{}"])
            let deadline = ContinuousClock.now + .seconds(30)
            while await spool.stats.acknowledgedThrough < BatchSequence(total), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(await spool.stats.acknowledgedThrough == BatchSequence(total), "the agent did not get every Ack")
            #expect(
                try await db.integer(
                    """
                    SELECT count(*) FROM (SELECT 1 FROM ping_results GROUP BY agent_id, device_id, timestamp HAVING count(*) > 1) d
                    """) == 0, "a result was written twice")
            #expect(try await db.integer("SELECT count(*) FROM ping_results") == produced)
            #expect(produced == total * Self.devicesPerBatch)

            uplinkTask.cancel()
            await uplinkTask.value
            #expect(await second.stop(with: SIGTERM) == .exit)
            await spool.close()
        }
    }

}
