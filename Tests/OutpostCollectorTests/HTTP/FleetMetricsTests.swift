import Foundation
import OutpostCollector
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Prometheus
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Fleet metrics: agents, partitions and open alerts read from PostgreSQL", .tags(.postgres), .needsPostgres)
struct FleetMetricsTests {
    @Test("per-branch agent gauges, tomorrow's partitions, open alerts and certificates follow the database")
    func fleetGauges() async throws {
        try await TestDatabase.withMigrated { db, database in
            let logger = TestDatabase.logger
            let north = try await Fixture.branch("north", on: db)
            let south = try await Fixture.branch("south", on: db)
            let (first, second, revoked) = (UUID(), UUID(), UUID())
            try await Fixture.agent(first, serial: "s1", branch: north, on: db)
            try await Fixture.agent(second, serial: "s2", branch: north, on: db)
            try await Fixture.agent(revoked, serial: "s3", branch: south, on: db)
            try await db.query(
                """
                UPDATE agents SET spool_backlog_batches = 7, dropped_results_total = 40,
                       last_seen = '2026-01-02T03:04:05Z', cert_not_after = '2030-01-01T00:00:00Z' WHERE id = \(first)
                """, logger: logger)
            try await db.query(
                """
                UPDATE agents SET spool_backlog_batches = 3, dropped_results_total = 2,
                       cert_not_after = '2029-06-01T00:00:00Z' WHERE id = \(second)
                """, logger: logger)
            try await db.query("UPDATE agents SET status = 'revoked' WHERE id = \(revoked)", logger: logger)
            // Partitions from yesterday through the day after tomorrow, then tomorrow's of ping_results dropped.
            _ = try await PartitionMaintenance(logger: logger).ensurePartitions(
                from: Date().addingTimeInterval(-86_400), days: 4, on: db)
            let tomorrow = try await db.query(
                "SELECT 'ping_results_p' || to_char((now() AT TIME ZONE 'UTC')::date + 1, 'YYYYMMDD')", logger: logger)
            for try await name in tomorrow.decode(String.self) {
                try await db.query(PostgresQuery(unsafeSQL: "DROP TABLE \(name)"), logger: logger)
            }
            try await db.query(
                "INSERT INTO alert_rules (name, expression, severity) VALUES ('down', 'ping_unreachable >= 1', 'critical')",
                logger: logger)
            try await db.query(
                """
                INSERT INTO alert_history (rule_id, severity, message, resolved_at)
                SELECT id, s.severity, 'test', s.resolved FROM alert_rules,
                       (VALUES ('critical', NULL::timestamptz), ('critical', NULL), ('warning', now())) s(severity, resolved)
                """, logger: logger)

            let health = try await StatusStore(logger: logger).fleetHealth(on: db)
            #expect(health.branches.map(\.name) == ["north"], "a branch whose only agent is revoked is left out")
            let branch = try #require(health.branches.first)
            #expect(branch.agents == 2)
            #expect(branch.maximumSpoolBacklogBatches == 7)
            #expect(branch.droppedResults == 42)
            #expect(branch.earliestCertificateExpiry == ISO8601DateFormatter().date(from: "2029-06-01T00:00:00Z"))
            #expect(branch.lastSeen == ISO8601DateFormatter().date(from: "2026-01-02T03:04:05Z"))
            #expect(health.tablesMissingTomorrow == ["ping_results"])
            #expect(health.openAlerts == ["critical": 2])

            let registry = PrometheusCollectorRegistry()
            let client = PostgresClient(configuration: database.url.clientConfiguration, backgroundLogger: logger)
            let metrics = FleetMetrics(
                client: client, certificates: ["server": Date(timeIntervalSince1970: 2_000_000_000)],
                factory: CollectorMetrics.factory(registry: registry), logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                try await metrics.refresh(now: Date(timeIntervalSince1970: 1_800_000_000))
            }
            let text = PrometheusText(text: String(decoding: registry.emitToBuffer(), as: UTF8.self))
            #expect(text.value(#"outpost_branch_agents{branch="north"}"#) == 2)
            #expect(text.value(#"outpost_branch_agent_spool_backlog_batches{branch="north"}"#) == 7)
            #expect(text.value(#"outpost_branch_agent_dropped_results{branch="north"}"#) == 42)
            #expect(
                text.value(#"outpost_branch_agent_certificate_expiry_timestamp_seconds{branch="north"}"#)
                    == 1_874_966_400)
            #expect(text.value(#"outpost_branch_agent_last_seen_timestamp_seconds{branch="north"}"#) == 1_767_323_045)
            #expect(text.value(#"outpost_branch_agents{branch="south"}"#) == nil)
            #expect(text.value("outpost_partitions_missing_tomorrow") == 1)
            #expect(text.value(#"outpost_alerts_open{severity="critical"}"#) == 2)
            #expect(
                text.value(#"outpost_alerts_open{severity="warning"}"#) == 0,
                "every severity exported, 0 when none is open")
            #expect(text.value(#"outpost_certificate_expiry_timestamp_seconds{certificate="server"}"#) == 2_000_000_000)
            #expect(text.value("outpost_fleet_refreshed_timestamp_seconds") == 1_800_000_000)
        }
    }
}
