import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

/// Devices over real HTTP: changes within a regional manager's reach, pages, bulk enable, and
/// the CSV import and export.
@Suite("Management API: devices and their CSV", .tags(.postgres), .needsPostgres)
struct DeviceAPITests {
    static func branches(_ db: PostgresConnection) async throws {
        try await db.execute(
            """
            INSERT INTO branches (name, display_name, region)
            VALUES ('telavi', 'Telavi', 'Kakheti'), ('kutaisi', 'Kutaisi', 'Imereti')
            """)
    }

    @Test("a manager adds, changes and removes devices of their region only; refusals name the field")
    func managerEdits() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            try await Self.branches(db)
            let manager = http.with(
                token: try await OperatorAccounts.add("kakheti", role: .regionalManager, regions: ["Kakheti"], on: db)
                    .token)
            let created = try await manager.send(
                "POST", "/api/v1/devices",
                json: ["name": "sw-1", "ip": "10.1.0.2", "branch": "telavi", "device_type": "switch", "tags": ["core"]])
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(try created.json()["id"] as? String)
            #expect(id == id.lowercased())
            #expect(try created.json()["region"] as? String == "Kakheti")

            let outside = try await manager.send(
                "POST", "/api/v1/devices", json: ["name": "sw-9", "ip": "10.2.0.9", "branch": "kutaisi"])
            #expect(outside.status == 403)
            let badIP = try await manager.send(
                "POST", "/api/v1/devices", json: ["name": "sw-2", "ip": "10.1.0.300", "branch": "telavi"])
            #expect(badIP.status == 400)
            #expect(try badIP.json()["field"] as? String == "ip")
            let typo = try await manager.send("PATCH", "/api/v1/devices/\(id)", json: ["hostnme": "x"])
            #expect(try typo.json()["field"] as? String == "hostnme")

            let changed = try await manager.send(
                "PATCH", "/api/v1/devices/\(id)", json: ["hostname": "sw-1.telavi", "model": NSNull()])
            #expect(changed.status == 200, "\(changed.text)")
            #expect(try changed.json()["hostname"] as? String == "sw-1.telavi")
            let moveOut = try await manager.send("PATCH", "/api/v1/devices/\(id)", json: ["branch": "kutaisi"])
            #expect(moveOut.status == 403)
            #expect(
                try await db.strings("SELECT b.name FROM standalone_devices d JOIN branches b ON b.id = d.branch_id")
                    == ["telavi"])

            let disabled = try await manager.send(
                "POST", "/api/v1/devices/enabled", json: ["ids": [id], "enabled": false])
            #expect(try disabled.json()["changed"] as? Int == 1)
            #expect(try await manager.send("DELETE", "/api/v1/devices/\(id)").status == 204)
            #expect(try await manager.get("/api/v1/devices/\(id)").status == 404)
            #expect(
                try await db.strings("SELECT action FROM audit_log WHERE entity = 'device' ORDER BY id")
                    == ["create", "update", "update", "delete"])
        }
    }

    @Test("pages of the device list visit each device once; a manager's list holds their region only")
    func pages() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            try await Self.branches(db)
            try await db.execute(
                """
                INSERT INTO standalone_devices (name, ip, branch_id)
                SELECT 'dev-' || lpad(i::text, 2, '0'), '10.9.0.' || i,
                       (SELECT id FROM branches WHERE name = CASE WHEN i % 2 = 0 THEN 'telavi' ELSE 'kutaisi' END)
                FROM generate_series(1, 25) i
                """)
            let viewer = http.with(token: try await OperatorAccounts.add("viewer", role: .viewer, on: db).token)
            var seen: [String] = []
            var cursor: String?
            repeat {
                let query = "/api/v1/devices?limit=7&sort=name" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await viewer.get(query).json()
                seen += (page["devices"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                cursor = (page["next_cursor"] as? String)?.addingPercentEncoding(withAllowedCharacters: .alphanumerics)
            } while cursor != nil
            #expect(seen == (1...25).map { String(format: "dev-%02d", $0) })
            #expect(try await viewer.get("/api/v1/devices?cursor=forged").json()["field"] as? String == "cursor")
            #expect(try await viewer.get("/api/v1/devices?sort=colour").json()["field"] as? String == "sort")
            let found = try await viewer.get("/api/v1/devices?search=DEV-1").json()["devices"] as? [[String: Any]]
            #expect(found?.count == 10)

            let manager = http.with(
                token: try await OperatorAccounts.add("kakheti", role: .regionalManager, regions: ["Kakheti"], on: db)
                    .token)
            let mine = try await manager.get("/api/v1/devices?limit=100").json()["devices"] as? [[String: Any]]
            #expect(mine?.count == 12)
            #expect(mine?.allSatisfy { $0["branch_name"] as? String == "telavi" } == true)
        }
    }

    @Test("a CSV with good and bad rows applies nothing and names every bad row; a good one applies, audited")
    func csvImport() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            try await Self.branches(db)
            let admin = try await OperatorAccounts.admin(http, on: db)
            let mixed = """
                branch,name,ip,device_type,ssh_port
                telavi,r-1,10.1.0.1,router,22
                telavi,r-2,10.1.0.999,router,22
                nowhere,r-3,10.1.0.3,router,22
                kutaisi,r-4,10.2.0.4,router,70000

                """
            let refused = try await admin.send(
                "POST", "/api/v1/devices/import", body: Data(mixed.utf8), contentType: "text/csv")
            #expect(refused.status == 422, "\(refused.text)")
            let lines = (try refused.json()["refused"] as? [[String: Any]])?.compactMap { $0["line"] as? Int }
            #expect(lines == [3, 4, 5])
            #expect(try refused.json()["applied"] as? Bool == false)
            #expect(try await db.integer("SELECT count(*) FROM standalone_devices") == 0)

            let good = """
                branch,name,ip,device_type
                telavi,r-1,10.1.0.1,router
                kutaisi,r-4,10.2.0.4,router

                """
            let dryRun = try await admin.send(
                "POST", "/api/v1/devices/import?dry_run=true", body: Data(good.utf8), contentType: "text/csv")
            #expect(try dryRun.json()["creates"] as? Int == 2)
            #expect(try dryRun.json()["applied"] as? Bool == false)
            #expect(try await db.integer("SELECT count(*) FROM standalone_devices") == 0)
            let applied = try await admin.send(
                "POST", "/api/v1/devices/import", body: Data(good.utf8), contentType: "text/csv")
            #expect(applied.status == 200, "\(applied.text)")
            #expect(try applied.json()["applied"] as? Bool == true)
            #expect(try await db.integer("SELECT count(*) FROM standalone_devices") == 2)
            #expect(
                try await db.integer("SELECT count(*) FROM audit_log WHERE entity = 'device' AND action = 'create'")
                    == 2)
            #expect(
                try await db.integer("SELECT count(*) FROM audit_log WHERE entity = 'device' AND action = 'import'")
                    == 1)

            let exported = try await admin.get("/api/v1/devices/export")
            #expect(exported.contentType?.hasPrefix("text/csv") == true)
            let again = try await admin.send(
                "POST", "/api/v1/devices/import", body: exported.body, contentType: "text/csv")
            #expect(try again.json()["unchanged"] as? Int == 2)
            #expect(try again.json()["creates"] as? Int == 0 && again.json()["updates"] as? Int == 0)

            let manager = http.with(
                token: try await OperatorAccounts.add("kakheti", role: .regionalManager, regions: ["Kakheti"], on: db)
                    .token)
            let theirs = try await manager.get("/api/v1/devices/export")
            #expect(theirs.text.contains("r-1") && !theirs.text.contains("r-4"))
            let header = try await admin.send(
                "POST", "/api/v1/devices/import", body: Data("colour\nred\n".utf8), contentType: "text/csv")
            #expect(header.status == 400)
            #expect(try header.json()["field"] as? String == "file")
        }
    }
}
