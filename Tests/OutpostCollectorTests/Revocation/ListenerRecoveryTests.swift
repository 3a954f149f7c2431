import Foundation
import Logging
import OutpostCore
import OutpostPKI
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollector

/// The collector's LISTEN/NOTIFY followers on a private server that is killed, restarted and
/// whose listening server process is terminated: each listens again and catches up on what it
/// missed.
@Suite(
    "Configuration and revocation listeners recover from a lost PostgreSQL connection", .tags(.postgres),
    .needsPostgres, .needsPostgresBinaries)
struct ListenerRecoveryTests {
    static let logger = Logger(label: "outpost.test.listeners")
    static let timing = PostgresChannelListener.Timing(
        timeout: .seconds(2), checkInterval: .seconds(60), reconnectDelay: .seconds(2))

    @Test(
        "after a server crash and restart the configuration listener signals every session, then delivers notices again"
    )
    func configurationListenerAfterRestart() async throws {
        try await Self.withBranch("Porto") { cluster, _, database, branch in
            let subscribers = ConfigSubscribers()
            let subscription = subscribers.subscribe(branch: branch)
            let signals = RecordedEvents()
            let client = PostgresClient(configuration: database.url.clientConfiguration, backgroundLogger: Self.logger)
            let watcher = ConfigChangeWatcher(
                client: client, subscribers: subscribers, coalescingWindow: .milliseconds(50),
                listenerTiming: Self.timing, logger: Self.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                group.addTask { try await watcher.run() }
                group.addTask { for await _ in subscription.changes { signals.record("signal") } }
                defer { group.cancelAll() }
                // Listening starts with a signal to every session.
                #expect(try await signals.wait(for: "signal"))
                try await Self.notifyChange(of: branch, database)
                #expect(try await signals.wait(for: "signal", times: 2), "no signal for a notice")

                try cluster.kill()
                try cluster.start()
                #expect(try await signals.wait(for: "signal", times: 3), "no signal after listening again")
                try await Self.notifyChange(of: branch, database)
                #expect(try await signals.wait(for: "signal", times: 4), "no signal for a notice after the restart")
                subscribers.unsubscribe(subscription)
            }
        }
    }

    @Test(
        "a revocation committed while the listener was disconnected takes effect when it listens again, and notices take effect after a restart"
    )
    func revocationListenerCatchesUp() async throws {
        try await Self.withBranch("Braga") { cluster, db, database, branch in
            let agents = (0..<3).map { _ in AgentID(UUID()) }
            for (index, agent) in agents.enumerated() {
                try await db.query(
                    """
                    INSERT INTO agents (id, branch_id, public_key, cert_serial, cert_not_after)
                    VALUES (\(agent.uuid), \(branch), '\\x04'::bytea, \("0a0\(index)"), now() + interval '1 day')
                    """, logger: Self.logger)
            }
            let denyList = RevocationDenyList()
            let client = PostgresClient(configuration: database.url.clientConfiguration, backgroundLogger: Self.logger)
            // Reloaded only at start and by the listener: the periodic reload must not hide a deaf listener.
            let watcher = RevocationWatcher(
                client: client, denyList: denyList, sessions: SessionRegistry(), reloadInterval: .seconds(3_600),
                listenerTiming: Self.timing, logger: Self.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                group.addTask { try await watcher.run() }
                defer { group.cancelAll() }
                let listening = "SELECT pid::text FROM pg_stat_activity WHERE query ILIKE 'LISTEN%outpost_revocations%'"
                #expect(
                    try await eventually { (try? await !Self.strings(listening, database).isEmpty) == true },
                    "never listened")
                try await Self.revoke(agents[0], database)
                #expect(
                    try await eventually { denyList.revokedAgents.contains(agents[0]) }, "a notice did not take effect")

                // The listening server process ends; the revocation's notice reaches nobody.
                let pid = try #require(try await Self.strings(listening, database).first)
                let admin = try await database.connect()
                try await admin.query("SELECT pg_terminate_backend(\(unescaped: pid))", logger: Self.logger)
                try await Self.revoke(agents[1], database, on: admin)
                try await admin.close()
                #expect(
                    try await eventually { denyList.revokedAgents.contains(agents[1]) },
                    "a missed revocation was not reloaded")

                try cluster.kill()
                try cluster.start()
                #expect(
                    try await eventually { (try? await !Self.strings(listening, database).isEmpty) == true },
                    "never listened after the restart")
                try await Self.revoke(agents[2], database)
                #expect(
                    try await eventually { denyList.revokedAgents.contains(agents[2]) },
                    "a notice after the restart did not take effect")
            }
        }
    }

    /// Runs `body` on a new migrated database on a server of its own, which the test may stop and
    /// start, holding a branch named `name`; `body` gets the server, a connection to the
    /// database, the database and the branch's id.
    private static func withBranch(
        _ name: String, _ body: (TestPostgresCluster, PostgresConnection, TestDatabase, UUID) async throws -> Void
    ) async throws {
        let cluster = try TestPostgresCluster()
        try await TestDatabase.withMigrated(server: cluster.url) { db, database in
            let branch = try await BranchRegistry(logger: logger).add(
                name: name, by: AuditActor(name: "test", source: "test"), on: db
            ).branch.id
            try await body(cluster, db, database, branch)
        }
    }

    private static func strings(_ sql: String, _ database: TestDatabase) async throws -> [String] {
        let connection = try await database.connect()
        do {
            let values = try await connection.strings(sql)
            try await connection.close()
            return values
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private static func notifyChange(of branch: UUID, _ database: TestDatabase) async throws {
        let connection = try await database.connect()
        try await connection.query(
            "SELECT pg_notify(\(BranchConfigStore.changeChannel), \("{\"branch\":\"\(branch.uuidString)\"}"))",
            logger: logger)
        try await connection.close()
    }

    private static func revoke(_ agent: AgentID, _ database: TestDatabase, on connection: PostgresConnection? = nil)
        async throws
    {
        if let connection {
            try await AgentRegistry(logger: logger).revoke(
                agent, reason: nil, by: AuditActor(name: "test", source: "test"), on: connection)
            return
        }
        let connection = try await database.connect()
        try await AgentRegistry(logger: logger).revoke(
            agent, reason: nil, by: AuditActor(name: "test", source: "test"), on: connection)
        try await connection.close()
    }

}
