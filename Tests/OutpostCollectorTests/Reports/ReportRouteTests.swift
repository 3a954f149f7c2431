import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

/// The availability report over real HTTP: JSON and CSV, a regional manager's scope, and
/// hostile query parameters.
@Suite("Management API: availability reports", .tags(.postgres), .needsPostgres)
struct ReportRouteTests {
    /// A device in Kakheti up for two hours, one in Imereti down for its last 30 minutes, rolled
    /// up; returns the range as query text.
    static func fixture(_ db: PostgresConnection) async throws -> String {
        try await db.execute(
            """
            INSERT INTO branches (name, display_name, region)
            VALUES ('telavi', 'Telavi', 'Kakheti'), ('kutaisi', 'Kutaisi', 'Imereti')
            """)
        let telavi = try await db.strings("SELECT id::text FROM branches WHERE name = 'telavi'")[0]
        let kutaisi = try await db.strings("SELECT id::text FROM branches WHERE name = 'kutaisi'")[0]
        let up = try await Fixture.device(
            "sw-telavi", ip: "10.1.0.2", branch: UUID(uuidString: telavi), deviceType: "switch", on: db)
        let down = try await Fixture.device(
            "rt-kutaisi", ip: "10.2.0.2", branch: UUID(uuidString: kutaisi), deviceType: "router", on: db)
        let end = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60 - 600)
        let start = end.addingTimeInterval(-7_200)
        for (device, downFrom) in [(up, end), (down, end.addingTimeInterval(-1_800))] {
            try await db.query(
                """
                INSERT INTO ping_results (device_id, device_ip, packets_sent, packets_received, packet_loss_percent,
                    is_reachable, timestamp)
                SELECT \(device), '10.0.0.1', 3, CASE WHEN t < \(downFrom) THEN 3 ELSE 0 END,
                    CASE WHEN t < \(downFrom) THEN 0 ELSE 100 END, t < \(downFrom), t
                FROM generate_series(\(start)::timestamptz + interval '5 seconds', \(end)::timestamptz - interval '1 second',
                    interval '30 seconds') t
                """, logger: TestDatabase.logger)
            try await db.query(
                """
                INSERT INTO rollup_pending (kind, key_id, minute)
                SELECT 'ping', \(device), m FROM generate_series(\(start)::timestamptz, \(end)::timestamptz - interval '1 minute',
                    interval '1 minute') m
                """, logger: TestDatabase.logger)
        }
        let writer = RollupWriter(logger: TestDatabase.logger, chunk: 10_000)
        while try await writer.rollUp(on: db).claimed > 0 {}
        let formatter = ISO8601DateFormatter()
        return "from=\(formatter.string(from: start))&to=\(formatter.string(from: end))"
    }

    @Test("JSON and CSV by device and region; a manager's report holds their regions only")
    func report() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let range = try await Self.fixture(db)
            let admin = try await OperatorAccounts.admin(http, on: db)
            let json = try await admin.get("/api/v1/reports/availability?\(range)")
            #expect(json.status == 200, "\(json.text)")
            #expect(try json.json()["by"] as? String == "device")
            let rows = try json.list("rows")
            #expect(rows.map { $0["name"] as? String } == ["rt-kutaisi", "sw-telavi"])
            #expect(rows.map { $0["availability_percent"] as? Double } == [75, 100])
            #expect(rows.map { $0["outages"] as? Int } == [1, 0])
            #expect(rows.first?["mttr_seconds"] as? Double == 1_800)
            #expect(try json.list("outages").isEmpty, "listed on request only")
            let listed = try await admin.get("/api/v1/reports/availability?\(range)&outages=true")
            #expect(listed.status == 200, "\(listed.text)")
            #expect(try listed.list("rows").map { $0["outages"] as? Int } == [1, 0])
            let outages = try listed.list("outages")
            #expect(outages.count == 1)
            #expect(outages.first?["device_name"] as? String == "rt-kutaisi")
            #expect(outages.first?["duration_seconds"] as? Double == 1_800)
            #expect(outages.first?["in_maintenance"] as? Bool == false)

            let csv = try await admin.get("/api/v1/reports/availability?\(range)&by=region&format=csv")
            #expect(csv.status == 200)
            #expect(csv.header("content-type") == "text/csv; charset=utf-8")
            let lines = csv.text.split(separator: "\n")
            #expect(
                lines.first
                    == "group,name,devices,availability_percent,up_seconds,down_seconds,monitored_seconds,outages,mttr_seconds,mtbf_seconds"
            )
            #expect(
                lines.dropFirst().map { $0.split(separator: ",").prefix(4).joined(separator: ",") } == [
                    "Imereti,Imereti,1,75.0000", "Kakheti,Kakheti,1,100.0000",
                ])
            let outageCSV = try await admin.get(
                "/api/v1/reports/availability?\(range)&by=region&format=csv&part=outages&group=Imereti&zone=Asia/Tbilisi"
            )
            #expect(outageCSV.text.split(separator: "\n").count == 2)
            #expect(outageCSV.text.contains("+04:00"))
            let none = try await admin.get("/api/v1/reports/availability?\(range)&by=region&group=Kakheti")
            #expect(try none.list("outages").isEmpty)
            let imereti = try await admin.get("/api/v1/reports/availability?\(range)&by=region&group=Imereti")
            #expect(try imereti.list("outages").map { $0["device_name"] as? String } == ["rt-kutaisi"])

            let manager = http.with(
                token: try await OperatorAccounts.add("kakheti", role: .regionalManager, regions: ["Kakheti"], on: db)
                    .token)
            let scoped = try await manager.get("/api/v1/reports/availability?\(range)&by=branch&outages=true")
            #expect(scoped.status == 200, "\(scoped.text)")
            #expect(try scoped.list("rows").map { $0["name"] as? String } == ["Telavi"])
            #expect(try scoped.list("outages").isEmpty)
        }
    }

    @Test("hostile parameters answer 400 naming the parameter")
    func hostile() async throws {
        let cases = [
            ("from=2026-11-01&to=2026-12-01&by=site", "by"), ("from=2026-12-01&to=2026-11-01", "from"),
            ("from=2026-11-01", "to"), ("to=2026-11-01", "from"), ("from=2026-11-01&to=2027-12-01", "to"),
            ("from=1926-11-01&to=1926-12-01", "from"), ("from=november&to=2026-12-01", "from"),
            ("from=2026-11-01&to=2026-12-01&format=xml", "format"), ("from=2026-11-01&to=2026-12-01&part=all", "part"),
            ("from=2026-11-01&to=2026-12-01&zone=Mars/Olympus", "zone"),
            ("from=2026-11-01&to=2026-12-01&outages=yes", "outages"),
            ("from=2026-11-01&to=2026-12-01&by=\(String(repeating: "x", count: 300))", "by"),
        ]
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let admin = try await OperatorAccounts.admin(http, on: db)
            for (query, field) in cases {
                let reply = try await admin.get("/api/v1/reports/availability?\(query)")
                #expect(reply.status == 400, "\(query): \(reply.text)")
                #expect(try reply.json()["field"] as? String == field, "\(query)")
            }
        }
    }
}
