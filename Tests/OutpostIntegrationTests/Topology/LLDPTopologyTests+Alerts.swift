import Foundation
import OutpostCore
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollector

extension LLDPTopologyTests {
    /// Ping rounds through the real ingest pipeline and alert engine, suppressing by way of the
    /// parents the walks gave: the router down suppresses everything behind it, a switch down
    /// what is behind it.
    static func routerDown(_ devices: [String: UUID], branch: UUID, db: PostgresConnection, database: TestDatabase)
        async throws
    {
        try await db.query(
            """
            INSERT INTO alert_rules (name, expression, severity, notification_channels)
            VALUES ('down', 'ping_unreachable >= 1', 'critical', '[]'::jsonb)
            """, logger: logger)
        let agent = AgentID.random()
        try await Fixture.agent(agent.uuid, serial: agent.description, branch: branch, on: db)
        let client = PostgresClient(configuration: database.url.clientConfiguration, backgroundLogger: logger)
        let engine = try AlertEngine(client: client, logger: logger)
        let pipeline = IngestPipeline(database: database.url, logger: logger, committed: engine.observe)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            group.addTask { try await pipeline.run() }
            group.addTask { try await engine.run() }
            defer { group.cancelAll() }
            let start = Date()
            var commits = 0
            /// One round: the devices named in `down` fail, the others answer.
            func round(down: Set<String>) async throws {
                commits += 1
                let pings = devices.map { name, device in
                    PingRoundResult(
                        deviceID: DeviceID(device), deviceIP: "192.0.2.1",
                        timestamp: start.addingTimeInterval(Double(commits) * 10), packetsSent: 3,
                        packetsReceived: down.contains(name) ? 0 : 3, avgRTT: down.contains(name) ? nil : 1)
                }
                _ = try await pipeline.submit(
                    IngestBatch(agentID: agent, sequence: BatchSequence(UInt64(commits)), pings: pings))
                let expected = commits
                #expect(try await eventually(within: .seconds(10)) { engine.evaluatedCommits == expected })
            }
            // The router down and everything behind it: every other alert is suppressed by the router's.
            try await round(down: ["r", "s1", "s2", "h1", "h2"])
            #expect(try await openAlerts(db) == ["h1<r", "h2<r", "r<-", "s1<r", "s2<r"])
            try await round(down: [])
            // s1 down with what is behind it, the router up: with the gateway alone nothing would
            // be suppressed; the topology makes s1 the cause.
            try await round(down: ["s1", "s2", "h1", "h2"])
            #expect(try await openAlerts(db) == ["h1<s1", "h2<s1", "s1<-", "s2<s1"])
        }
    }

    /// Open alerts as `device<suppressing device`.
    static func openAlerts(_ db: PostgresConnection) async throws -> [String] {
        try await db.strings(
            """
            SELECT d.name || '<' || coalesce(pd.name, '-') FROM alert_history h
            JOIN standalone_devices d ON d.id = h.device_id
            LEFT JOIN alert_history p ON p.id = h.suppressed_by
            LEFT JOIN standalone_devices pd ON pd.id = p.device_id
            WHERE h.resolved_at IS NULL ORDER BY d.name
            """)
    }
}
