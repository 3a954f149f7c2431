import Foundation
import Logging
import OutpostAgent
import OutpostCore
import OutpostPKI
import OutpostStore
import OutpostTestSupport
import OutpostWire
import PostgresNIO
import Testing

@testable import OutpostCollector
@testable import OutpostCollectorTestSupport

/// Batches that decode and validate but that PostgreSQL refuses (a value too long for its
/// column, a broken CHECK): each costs only itself.
@Suite("Poison batches", .tags(.postgres, .timing), .needsPostgres, .needsQuietMachine)
struct PoisonBatchTests {
    /// A signed batch of one round per device, as an ingest batch carrying its payload.
    static func ingestBatch(
        _ credentials: AgentCredentials, sequence: BatchSequence, devices: [DeviceID], deviceIP: String = "127.0.1.1",
        packetsSent: Int = 3
    ) throws -> IngestBatch {
        let rounds = devices.map {
            PingRoundResult(
                deviceID: $0, deviceIP: deviceIP, timestamp: Date(), packetsSent: packetsSent, packetsReceived: 1,
                avgRTT: 0.2)
        }
        let batch = Batch(agentID: credentials.agentID, sequence: sequence, createdAt: Date(), pingResults: rounds)
        let signed = try SignedBatch.sign(batch, with: credentials.privateKey.signingKey())
        return IngestBatch(agentID: batch.agentID, sequence: sequence, pings: rounds, payload: signed.serializedBytes)
    }

    @Test(
        "a batch PostgreSQL refuses is quarantined whole with its error; the other batches of its group commit; its resend is a duplicate"
    )
    func poisonBatchIsQuarantined() async throws {
        try await TransportFixture.with { db, database, fixture in
            let devices = try await fixture.addDevices(1, db: db)
            var enrolled: [AgentCredentials] = []
            for name in ["a", "b", "poison", "c"] { enrolled.append(try await fixture.enrolAgent(name, db: db)) }
            let agents = enrolled
            let poison = try Self.ingestBatch(
                agents[2], sequence: 1, devices: devices, deviceIP: String(repeating: "9", count: 60))
            var batches = try agents.map { try Self.ingestBatch($0, sequence: 1, devices: devices) }
            batches[2] = poison
            var configuration = IngestPipeline.Configuration()
            configuration.writers = 1
            try await IngestPipelineFixture.withPipeline(database.url, configuration: configuration) {
                [batches] pipeline in
                // Submitted together, so that they share groups with the poison batch.
                let outcomes = await withTaskGroup(of: (Int, Result<IngestPipeline.Disposition, any Error>).self) {
                    group in
                    for (index, batch) in batches.enumerated() {
                        group.addTask {
                            do {
                                return (index, .success(try await pipeline.submit(batch)))
                            } catch {
                                return (index, .failure(error))
                            }
                        }
                    }
                    return await group.reduce(into: [Int: Result<IngestPipeline.Disposition, any Error>]()) {
                        $0[$1.0] = $1.1
                    }
                }
                for index in [0, 1, 3] {
                    let disposition = try? outcomes[index]?.get()
                    #expect(disposition == .committed)
                }
                guard case .failure(let error as IngestPipeline.Quarantined)? = outcomes[2] else {
                    Issue.record("the poison batch was not quarantined: \(String(describing: outcomes[2]))")
                    return
                }
                #expect(error.reason.contains("22001"))
                let resent = try await pipeline.submit(poison)
                #expect(resent == .duplicate)
                #expect(pipeline.stall == nil)
            }
            #expect(try await db.integer("SELECT count(*) FROM ping_results") == 3)
            let held = try await QuarantineRelease(logger: TestDatabase.logger).list(includeResolved: false, on: db)
            #expect(held.map(\.agentID) == [agents[2].agentID])
            #expect(held.first?.sqlState == "22001")
            #expect(held.first?.payload == poison.payload)
            #expect(held.first?.rowCount == 1)
            #expect(
                try await db.integer("SELECT high_water FROM agent_sequences WHERE agent_id = '\(agents[2].agentID)'")
                    == 1)
            // Discarded: kept for the record, never written.
            try await QuarantineRelease(logger: TestDatabase.logger).discard(
                try #require(held.first?.id), by: AuditActor(name: "test", source: "test"), on: db)
            #expect(try await db.strings("SELECT status FROM ingest_quarantine") == ["discarded"])
            await #expect(throws: IngestQuarantine.NotHeld.self) {
                try await QuarantineRelease(logger: TestDatabase.logger).discard(
                    try #require(held.first?.id), by: AuditActor(name: "test", source: "test"), on: db)
            }
        }
    }

    @Test("a quarantined batch replays once its cause is fixed, exactly once; a replay refused again leaves it held")
    func quarantinedBatchReplays() async throws {
        try await TransportFixture.with { db, database, fixture in
            let devices = try await fixture.addDevices(2, db: db)
            let agent = try await fixture.enrolAgent("alice", db: db)
            // A rule of the operator's that this batch breaks (23514), lifted afterwards.
            try await db.query(
                "ALTER TABLE ping_results ADD CONSTRAINT test_at_most_six CHECK (packets_sent < 7)",
                logger: TestDatabase.logger)
            let batch = try Self.ingestBatch(agent, sequence: 1, devices: devices, packetsSent: 7)
            try await IngestPipelineFixture.withPipeline(database.url) { pipeline in
                await #expect(throws: IngestPipeline.Quarantined.self) { try await pipeline.submit(batch) }
            }
            let release = QuarantineRelease(logger: TestDatabase.logger)
            let id = try #require(try await release.list(includeResolved: false, on: db).first?.id)
            await #expect(throws: PSQLError.self) {
                try await release.replay(id, by: AuditActor(name: "test", source: "test"), on: db)
            }
            #expect(try await db.strings("SELECT status FROM ingest_quarantine") == ["held"])
            try await db.query("ALTER TABLE ping_results DROP CONSTRAINT test_at_most_six", logger: TestDatabase.logger)
            let replayed = try await release.replay(id, by: AuditActor(name: "test", source: "test"), on: db)
            #expect(replayed.rowsWritten == 2)
            #expect(replayed.rowsRefused == 0)
            #expect(try await db.integer("SELECT count(*) FROM ping_results WHERE packets_sent = 7") == 2)
            #expect(
                try await db.integer("SELECT count(*) FROM standalone_devices WHERE last_probe_at IS NOT NULL") == 2)
            #expect(try await db.strings("SELECT status FROM ingest_quarantine") == ["replayed"])
            await #expect(throws: IngestQuarantine.NotHeld.self) {
                try await release.replay(id, by: AuditActor(name: "test", source: "test"), on: db)
            }
            #expect(try await db.integer("SELECT count(*) FROM ping_results") == 2)
        }
    }

    @Test("/readyz reports a stall when batches wait without a commit for longer than the bound")
    func stalledIngestIsNotReady() async throws {
        // A database that refuses every connection: the group is retried and never commits.
        let closed = try DatabaseURL("postgres://outpost@127.0.0.1:1/outpost")
        var configuration = IngestPipeline.Configuration()
        configuration.stallBound = .milliseconds(300)
        configuration.maxRetryDelay = .milliseconds(100)
        let pipeline = IngestPipeline(
            database: closed, configuration: configuration, logger: Logger(label: "outpost.test.stall"))
        let client = PostgresClient(
            configuration: closed.clientConfiguration, backgroundLogger: Logger(label: "outpost.test.stall"))
        let probe = ReadinessProbe(
            database: BoundedDatabaseAccess(client: client), timeout: .seconds(1), ingest: pipeline,
            logger: Logger(label: "outpost.test.stall"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pipeline.run() }
            #expect(pipeline.stall == nil)
            group.addTask { _ = try? await pipeline.submit(IngestBatch(agentID: .random(), sequence: 1)) }
            let deadline = ContinuousClock.now + .seconds(10)
            while pipeline.stall == nil && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            let report = await probe.check()
            #expect(!report.isReady)
            #expect(report.reason?.hasPrefix("ingest stalled") == true)
            group.cancelAll()
        }
    }
}
