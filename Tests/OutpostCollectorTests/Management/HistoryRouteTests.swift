import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

/// History charts over real HTTP: shapes, resolutions, a regional manager's reach, and hostile
/// query parameters.
@Suite("Management API: history charts and branch summaries", .tags(.postgres), .needsPostgres)
struct HistoryRouteTests {
    /// Branches in two regions, a device in each with rounds every 30 s over the last 50 minutes
    /// and a gauge item; returns (Kakheti device, Imereti device).
    static func fixture(_ db: PostgresConnection) async throws -> (UUID, UUID) {
        try await db.execute(
            """
            INSERT INTO branches (name, display_name, region)
            VALUES ('telavi', 'Telavi', 'Kakheti'), ('kutaisi', 'Kutaisi', 'Imereti')
            """)
        let telavi = try await db.strings("SELECT id::text FROM branches WHERE name = 'telavi'")[0]
        let kutaisi = try await db.strings("SELECT id::text FROM branches WHERE name = 'kutaisi'")[0]
        let inKakheti = try await Fixture.device("sw-telavi", ip: "10.1.0.2", branch: UUID(uuidString: telavi), on: db)
        let inImereti = try await Fixture.device(
            "sw-kutaisi", ip: "10.2.0.2", branch: UUID(uuidString: kutaisi), on: db)
        for device in [inKakheti, inImereti] {
            try await db.execute(
                """
                INSERT INTO ping_results (device_id, device_ip, packets_sent, packets_received, packet_loss_percent,
                    min_rtt_ms, avg_rtt_ms, max_rtt_ms, is_reachable, timestamp)
                SELECT '\(device)', '10.0.0.1', 5, 4, 20, 1, 2, 3, true, t
                FROM generate_series(now() - interval '50 minutes', now() - interval '1 minute', interval '30 seconds') t
                """)
            try await db.execute(
                """
                INSERT INTO monitoring_items (device_id, name, oid_name, oid, value_type, units)
                VALUES ('\(device)', 'cpu', 'cpuLoad', '1.3.6.1.4.1.9.2.1.58.0', 'gauge32', '%')
                """)
        }
        return (inKakheti, inImereti)
    }

    @Test("charts and summaries in snake_case at the range's resolution; a manager reaches their regions only")
    func chartsAndReach() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let (inKakheti, inImereti) = try await Self.fixture(db)
            let admin = try await OperatorAccounts.admin(http, on: db)
            let hour = try await admin.get("/api/v1/devices/\(inKakheti)/history?range=1h")
            #expect(hour.status == 200, "\(hour.text)")
            #expect(try hour.json()["resolution"] as? String == "raw")
            #expect(try hour.json()["bucket_seconds"] as? Int == 5)
            let points = try hour.list("points")
            #expect(points.count == 99)
            #expect(points.first?["avg_rtt"] as? Double == 2)
            #expect(points.first?["loss_percent"] as? Double == 20)
            #expect(points.first?["up_seconds"] as? Double == 5)
            let week = try await admin.get("/api/v1/devices/\(inKakheti)/history?range=7d")
            #expect(try week.json()["resolution"] as? String == "hour")
            let day = try await admin.get("/api/v1/devices/\(inKakheti)/history")
            #expect(try day.json()["resolution"] as? String == "minute")

            let manager = http.with(
                token: try await OperatorAccounts.add("kakheti", role: .regionalManager, regions: ["Kakheti"], on: db)
                    .token)
            #expect(try await manager.get("/api/v1/devices/\(inKakheti)/history?range=1h").status == 200)
            #expect(try await manager.get("/api/v1/devices/\(inImereti)/history?range=1h").status == 404)
            let items = try await manager.get("/api/v1/devices/\(inKakheti)/items/history?range=24h")
            #expect(items.status == 200, "\(items.text)")
            #expect(try items.list("items").map { $0["name"] as? String } == ["cpu"])
            #expect(try items.list("items").first?["is_rate"] as? Bool == false)
            #expect(try await manager.get("/api/v1/devices/\(inImereti)/items/history?range=24h").status == 404)
            let summary = try await manager.get("/api/v1/branches/telavi/summary?range=1h")
            #expect(summary.status == 200, "\(summary.text)")
            let devices = try summary.list("devices")
            #expect(devices.map { $0["name"] as? String } == ["sw-telavi"])
            #expect(devices.first?["samples"] as? Int == 99)
            #expect(devices.first?["availability_percent"] as? Double == 100)
            #expect(devices.first?["device_id"] as? String == inKakheti.uuidString.lowercased())
            #expect(try await manager.get("/api/v1/branches/kutaisi/summary?range=24h").status == 404)
            #expect(try await admin.get("/api/v1/branches/kutaisi/summary?range=24h").status == 200)
            // By id as well as by name; the branch itself still routes beside its summary.
            let telavi = try await db.strings("SELECT id::text FROM branches WHERE name = 'telavi'")[0]
            let byID = try await manager.get("/api/v1/branches/\(telavi)/summary?range=1h")
            #expect(try byID.json()["branch"] as? String == "telavi")
            #expect(try await manager.get("/api/v1/branches/\(telavi)").status == 200)
        }
    }

    @Test(
        "hostile ranges answer 400 naming the parameter",
        arguments: [
            ("range=abc", "range"), ("range=0h", "range"), ("range=-1h", "range"), ("range=732d", "range"),
            ("range=36500d", "range"), ("range=99999999", "range"), ("range=1y", "range"),
            ("from=2026-12-06T10:00:00Z&to=2026-12-06T09:00:00Z", "from"), ("from=1926-12-06T10:00:00Z", "from"),
            ("from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", "to"), ("from=yesterday", "from"),
            ("to=3000-01-01T00:00:00Z&range=1h", "from"), ("range=1h&from=2026-12-06T10:00:00Z", "range"),
        ])
    func hostileRanges(query: String, field: String) async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let (inKakheti, _) = try await Self.fixture(db)
            let admin = try await OperatorAccounts.admin(http, on: db)
            for path in [
                "/api/v1/devices/\(inKakheti)/history", "/api/v1/devices/\(inKakheti)/items/history",
                "/api/v1/branches/telavi/summary",
            ] {
                let reply = try await admin.get("\(path)?\(query)")
                #expect(reply.status == 400, "\(path)?\(query): \(reply.text)")
                #expect(try reply.json()["field"] as? String == field, "\(path)?\(query)")
            }
        }
    }

    @Test("unknown devices and branches answer 404")
    func unknown() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let admin = try await OperatorAccounts.admin(http, on: db)
            #expect(try await admin.get("/api/v1/devices/\(UUID())/history?range=1h").status == 404)
            #expect(try await admin.get("/api/v1/devices/not-a-uuid/history?range=1h").status == 404)
            #expect(try await admin.get("/api/v1/branches/nowhere/summary?range=24h").status == 404)
        }
    }
}
