import Foundation
import Logging
import OutpostCollector
import OutpostCore
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Ingest pipeline", .tags(.postgres), .needsPostgres, .needsPostgresBinaries)
struct IngestPipelineTests {
    /// Registers a branch, `agents` agents and one device per agent; returns them.
    static func fixture(_ db: PostgresConnection, agents count: Int) async throws -> [(AgentID, DeviceID)] {
        let branch = try await Fixture.branch("b1", displayName: "B1", on: db)
        var result: [(AgentID, DeviceID)] = []
        for index in 0..<count {
            let agent = AgentID.random()
            try await Fixture.agent(agent.uuid, serial: agent.description, branch: branch, on: db)
            let device = try await Fixture.device("d\(index)", ip: "10.0.0.1", on: db)
            result.append((agent, DeviceID(device)))
        }
        return result
    }

    /// Runs `body` on a new migrated database on a server of its own, which the test may stop,
    /// freeze and start again, holding a ``fixture(_:agents:)`` of `count` agents; `body` gets the
    /// server, a connection to the database, the database and the agents with their devices.
    static func withOwnServer(
        agents count: Int,
        _ body: (TestPostgresCluster, PostgresConnection, TestDatabase, [(AgentID, DeviceID)]) async throws -> Void
    ) async throws {
        let cluster = try TestPostgresCluster()
        try await TestDatabase.withMigrated(server: cluster.url) { db, database in
            try await body(cluster, db, database, try await fixture(db, agents: count))
        }
    }

    /// Registers the sequence row of `agent` and locks it in a transaction opened on a new
    /// connection to `database`, which it returns: the agent's groups wait until that
    /// transaction ends. The caller commits and closes it.
    static func lockSequence(of agent: AgentID, db: PostgresConnection, database: TestDatabase) async throws
        -> PostgresConnection
    {
        try await db.query("INSERT INTO agent_sequences (agent_id) VALUES (\(agent.uuid))", logger: TestDatabase.logger)
        let locker = try await database.connect()
        try await locker.query("BEGIN", logger: TestDatabase.logger)
        try await locker.query(
            "SELECT 1 FROM agent_sequences WHERE agent_id = \(agent.uuid) FOR UPDATE", logger: TestDatabase.logger)
        return locker
    }

    static func batch(_ agent: AgentID, _ device: DeviceID, sequence: BatchSequence, rows: Int) -> IngestBatch {
        let base = Date()
        // The address names the batch and row, so a duplicate row is visible in the table.
        return IngestBatch(
            agentID: agent, sequence: sequence,
            pings: (0..<rows).map { index in
                PingRoundResult(
                    deviceID: device, deviceIP: "s\(sequence)r\(index)",
                    timestamp: base.addingTimeInterval(Double(index) / 1000),
                    packetsSent: 3, packetsReceived: 3, minRTT: 0.1, avgRTT: 0.2, maxRTT: 0.3, stddevRTT: 0.01)
            })
    }

    @Test("many agents submitting concurrently: every batch committed once, replays answered as duplicates")
    func concurrentAgents() async throws {
        try await TestDatabase.withMigrated { db, database in
            let fleet = try await Self.fixture(db, agents: 8)
            try await IngestPipelineFixture.withPipeline(database.url) { pipeline in
                let results = try await withThrowingTaskGroup(of: [IngestPipeline.Disposition].self) { group in
                    for (agent, device) in fleet {
                        group.addTask {
                            var dispositions: [IngestPipeline.Disposition] = []
                            for sequence in 1...20 {
                                dispositions.append(
                                    try await pipeline.submit(
                                        Self.batch(agent, device, sequence: BatchSequence(sequence), rows: 50)))
                            }
                            // A replay of everything after a "reconnect".
                            for sequence in 1...20 {
                                dispositions.append(
                                    try await pipeline.submit(
                                        Self.batch(agent, device, sequence: BatchSequence(sequence), rows: 50)))
                            }
                            return dispositions
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                for dispositions in results {
                    #expect(dispositions.prefix(20).allSatisfy { $0 == .committed })
                    #expect(dispositions.suffix(20).allSatisfy { $0 == .duplicate })
                }
                #expect(pipeline.queuedRows == 0)
            }
            #expect(try await db.integer("SELECT count(*) FROM ping_results") == 8 * 20 * 50)
            #expect(try await db.integer("SELECT count(*) FROM agent_sequences WHERE high_water = 20") == 8)
        }
    }

    @Test("two writers: an agent whose group is stuck holds up neither other agents nor the order of its own batches")
    func writersKeepAgentsApart() async throws {
        try await TestDatabase.withMigrated { db, database in
            let fleet = try await Self.fixture(db, agents: 2)
            let (stuck, stuckDevice) = fleet[0]
            let (free, freeDevice) = fleet[1]
            // Another transaction holds the stuck agent's sequence row: its group waits on the lock.
            let locker = try await Self.lockSequence(of: stuck, db: db, database: database)
            var configuration = IngestPipeline.Configuration()
            configuration.writers = 2
            try await IngestPipelineFixture.withPipeline(database.url, configuration: configuration) { pipeline in
                async let first = pipeline.submit(Self.batch(stuck, stuckDevice, sequence: 1, rows: 10))
                while try await db.integer(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                ) == 0 {
                    try await Task.sleep(for: .milliseconds(20))
                }
                async let second = pipeline.submit(Self.batch(stuck, stuckDevice, sequence: 2, rows: 10))
                while pipeline.queuedRows < 20 { try await Task.sleep(for: .milliseconds(20)) }
                // The second writer skips the stuck agent's queued batch and writes the other agent's.
                let freeAgentWritten = await withTaskGroup(of: Bool.self) { group in
                    group.addTask {
                        for sequence: BatchSequence in 1...2 {
                            let disposition = try? await pipeline.submit(
                                Self.batch(free, freeDevice, sequence: sequence, rows: 10))
                            #expect(disposition == .committed)
                        }
                        return true
                    }
                    group.addTask {
                        try? await Task.sleep(for: .seconds(30))
                        return false
                    }
                    let written = await group.next()!
                    group.cancelAll()
                    // Not written in time: release the lock, so that the stuck writer, and the test, end.
                    if !written { _ = try? await locker.query("COMMIT", logger: TestDatabase.logger) }
                    await group.waitForAll()
                    return written
                }
                #expect(freeAgentWritten, "the other agent's batches waited for the stuck agent's group")
                #expect(try await db.integer("SELECT count(*) FROM ping_results WHERE agent_id = '\(stuck.uuid)'") == 0)
                try await locker.query("COMMIT", logger: TestDatabase.logger)
                #expect(try await first == .committed)
                #expect(try await second == .committed)
            }
            try await locker.close()
            #expect(try await db.integer("SELECT count(*) FROM ping_results") == 40)
            // In order: the stuck agent's batches committed one group after the other.
            #expect(
                try await db.strings(
                    "SELECT high_water || ':' || committed_above::text FROM agent_sequences ORDER BY agent_id") == [
                        "2:{}", "2:{}",
                    ])
        }
    }

    @Test("PostgreSQL killed under load and restarted: no loss, no duplicates, the pipeline recovers by itself")
    func databaseCrash() async throws {
        try await Self.withOwnServer(agents: 4) { cluster, db, database, fleet in
            var configuration = IngestPipeline.Configuration()
            configuration.maxQueuedRows = 2_000
            configuration.maxRetryDelay = .milliseconds(500)
            configuration.commitTimeout = .seconds(3)
            let queueLimit = configuration.maxQueuedRows
            try await IngestPipelineFixture.withPipeline(database.url, configuration: configuration) { pipeline in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (agent, device) in fleet {
                        group.addTask {
                            // Like a session with a pipelining window of 8 unacknowledged batches.
                            try await withThrowingTaskGroup(of: Void.self) { window in
                                for sequence in 1...60 {
                                    if sequence > 8 { try await window.next() }
                                    window.addTask {
                                        _ = try await pipeline.submit(
                                            Self.batch(agent, device, sequence: BatchSequence(sequence), rows: 100))
                                    }
                                }
                                try await window.waitForAll()
                            }
                        }
                    }
                    group.addTask {
                        // Crash the server once the load is under way, keep it down, bring it back.
                        while try await Self.committedRows(database.url) < 2_000 {
                            try await Task.sleep(for: .milliseconds(20))
                        }
                        try cluster.kill()
                        // Down long enough for the queue to fill and submitters to block.
                        while pipeline.queuedRows < queueLimit - 100 { try await Task.sleep(for: .milliseconds(20)) }
                        // Then an outage of a few more seconds (fault injection, not synchronisation).
                        try await Task.sleep(for: .seconds(3))
                        try cluster.start()
                    }
                    try await group.waitForAll()
                }
            }
            let fresh = try await database.connect()
            #expect(try await fresh.integer("SELECT count(*) FROM ping_results") == 4 * 60 * 100)
            #expect(
                try await fresh.integer(
                    "SELECT count(*) FROM (SELECT agent_id, device_ip FROM ping_results GROUP BY 1, 2 HAVING count(*) > 1) d"
                ) == 0)
            #expect(try await fresh.integer("SELECT min(high_water) FROM agent_sequences") == 60)
            try await fresh.close()
        }
    }

    static func committedRows(_ url: DatabaseURL) async throws -> Int {
        let connection = try await PostgresConnection.connect(
            configuration: url.connectionConfiguration(), id: 99, logger: TestDatabase.logger)
        defer { Task { try? await connection.close() } }
        return try await connection.integer("SELECT count(*) FROM ping_results")
    }
}
