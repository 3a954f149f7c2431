import Foundation
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

/// `outpost-collector baselines …` run as the real binary, and `GET /api/v1/devices/{id}/baselines`.
@Suite("Baselines: command and API", .tags(.postgres), .needsPostgres)
struct BaselineCommandTests {
    @Test("baselines compute learns the last 4 weeks once, then is up to date; show prints a device's hours")
    func computeAndShow() async throws {
        try await TestDatabase.withMigrated { db, database in
            let url =
                "postgres://\(database.url.username)@\(database.url.host):\(database.url.port)/\(database.url.database)"
            func run(_ arguments: [String]) async throws -> String {
                try await Command.output(
                    try BuiltProduct.collector, ["baselines"] + arguments + ["--database-url", url])
            }
            let router = try await Fixture.device("router", ip: "10.0.0.1", on: db)
            try await Fixture.device("newcomer", ip: "10.0.0.2", on: db)
            try await db.execute(
                """
                SELECT outpost_ensure_monthly_partitions('ping_rollup_1h'::regclass, (now() - interval '40 days')::date, 3)
                """)
            try await db.execute(
                """
                INSERT INTO ping_rollup_1h (device_id, bucket, avg_rtt_ms, packets_sent, packets_received, loss_percent,
                    samples, up_seconds, down_seconds)
                SELECT '\(router)', b, 7.5, 10, 10, 0, 6, 3600, 0
                FROM generate_series(date_trunc('day', now() - interval '29 days'), now() - interval '1 day',
                    interval '1 hour') b
                """)
            let computed = try await run(["compute"])
            #expect(computed.contains("all hours of week through"), "\(computed)")
            #expect(computed.contains("1 devices"), "\(computed)")
            #expect(computed.contains("baselines are up to date"), "\(computed)")
            #expect(try await run(["compute"]).hasPrefix("baselines are up to date"))

            let shown = try await run(["show", "router"])
            let lines = shown.split(separator: "\n")
            #expect(lines.first?.hasPrefix("computed through: ") == true)
            #expect(lines.dropFirst().first?.hasPrefix("HOUR") == true)
            #expect(lines.count == 2 + 168, "\(shown)")
            #expect(lines.contains { $0.hasPrefix("Mon 00h") && $0.contains("7.500") })
            #expect(try await run(["show", router.uuidString]) == shown)
            #expect(try await run(["show", "newcomer"]).contains("no baselines"))
            do {
                _ = try await run(["show", "ghost"])
                Issue.record("an unknown device was shown")
            } catch {
                #expect("\(error)".contains("no device named \"ghost\""))
            }
        }
    }

    @Test("GET /api/v1/devices/{id}/baselines: hours and items in snake_case; a manager reaches their regions only")
    func api() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            try await db.execute(
                """
                INSERT INTO branches (name, display_name, region)
                VALUES ('telavi', 'Telavi', 'Kakheti'), ('kutaisi', 'Kutaisi', 'Imereti')
                """)
            let telavi = UUID(
                uuidString: try await db.strings("SELECT id::text FROM branches WHERE name = 'telavi'")[0])
            let kutaisi = UUID(
                uuidString: try await db.strings("SELECT id::text FROM branches WHERE name = 'kutaisi'")[0])
            let device = try await Fixture.device("sw-telavi", ip: "10.1.0.2", branch: telavi, on: db)
            let other = try await Fixture.device("sw-kutaisi", ip: "10.2.0.2", branch: kutaisi, on: db)
            for statement in [
                """
                INSERT INTO monitoring_items (id, device_id, name, oid_name, oid, value_type)
                VALUES ('00000000-0000-4000-8000-000000000001', '\(device)', 'cpu', 'cpuLoad', '1.3.6.1.4.1.9.2.1.58.0',
                    'gauge32')
                """,
                """
                INSERT INTO performance_baselines (device_id, hour_of_week, rtt_median_ms, rtt_mad_ms, rtt_samples,
                    loss_median_percent, loss_mad_percent, loss_samples, computed_at)
                VALUES ('\(device)', 34, 12.5, 0.5, 12, NULL, NULL, 4, '2026-12-01 00:05:00+00')
                """,
                """
                INSERT INTO metric_baselines (item_id, device_id, hour_of_week, median_value, mad_value, samples,
                    computed_at)
                VALUES ('00000000-0000-4000-8000-000000000001', '\(device)', 34, 41, 3, 9, '2026-12-01 00:05:00+00')
                """,
                "INSERT INTO baseline_progress (computed_through) VALUES ('2026-12-01 00:00:00+00')",
            ] {
                try await db.execute(statement)
            }
            let admin = try await OperatorAccounts.admin(http, on: db)
            let response = try await admin.get("/api/v1/devices/\(device)/baselines")
            #expect(response.status == 200, "\(response.text)")
            let body = try response.json()
            #expect(body["device_id"] as? String == device.uuidString.lowercased())
            #expect(body["computed_through"] as? String == "2026-12-01T00:00:00Z")
            let hours = try response.list("hours")
            #expect(hours.count == 1)
            #expect(hours.first?["hour_of_week"] as? Int == 34)
            #expect(hours.first?["rtt_median_ms"] as? Double == 12.5)
            #expect(hours.first?["rtt_mad_ms"] as? Double == 0.5)
            #expect(hours.first?["rtt_samples"] as? Int == 12)
            #expect(hours.first?["loss_median_percent"] == nil, "too few hourly means: no loss baseline")
            #expect(hours.first?["computed_at"] as? String == "2026-12-01T00:05:00Z")
            let items = try response.list("items")
            #expect(items.first?["name"] as? String == "cpu")
            #expect(items.first?["median"] as? Double == 41)
            #expect(items.first?["samples"] as? Int == 9)

            let empty = try await admin.get("/api/v1/devices/\(other)/baselines")
            #expect(empty.status == 200)
            #expect(try empty.list("hours").isEmpty && empty.list("items").isEmpty)
            #expect(try await admin.get("/api/v1/devices/\(UUID())/baselines").status == 404)
            #expect(try await admin.get("/api/v1/devices/not-a-uuid/baselines").status == 404)
            let manager = http.with(
                token: try await OperatorAccounts.add("imereti", role: .regionalManager, regions: ["Imereti"], on: db)
                    .token)
            #expect(try await manager.get("/api/v1/devices/\(other)/baselines").status == 200)
            #expect(try await manager.get("/api/v1/devices/\(device)/baselines").status == 404)
        }
    }
}
