import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

/// Branches, alert rules, alerts and maintenance windows over real HTTP.
@Suite("Management API: branches, rules, alerts, maintenance", .tags(.postgres), .needsPostgres)
struct OperationsAPITests {
    /// Branches telavi (Kakheti) and kutaisi (Imereti) with a device each, and an open alert on
    /// each device.
    static func seed(_ db: PostgresConnection) async throws {
        for statement in [
            "INSERT INTO branches (name, display_name, region) VALUES ('telavi', 'Telavi', 'Kakheti'), ('kutaisi', 'Kutaisi', 'Imereti')",
            """
            INSERT INTO standalone_devices (name, ip, branch_id)
            SELECT 'router-' || name, CASE name WHEN 'telavi' THEN '10.1.0.1' ELSE '10.2.0.1' END, id FROM branches
            """,
            "INSERT INTO alert_rules (name, expression, severity) VALUES ('down', 'ping_unreachable >= 1', 'critical')",
            """
            INSERT INTO alert_history (rule_id, device_id, severity, message)
            SELECT (SELECT id FROM alert_rules), id, 'critical', name || ' down' FROM standalone_devices
            """,
        ] {
            try await db.execute(statement)
        }
    }

    @Test("a rule that does not parse is refused with the position; a good one is stored, audited, listed")
    func rules() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let admin = try await OperatorAccounts.admin(http, on: db)
            let refused = try await admin.send(
                "POST", "/api/v1/rules", json: ["name": "slow", "expression": "rtt > > 5", "severity": "warning"])
            #expect(refused.status == 400)
            #expect(try refused.json()["field"] as? String == "expression")
            #expect(try refused.json()["position"] as? Int == 6, "\(refused.text)")
            #expect(try await db.integer("SELECT count(*) FROM alert_rules") == 0)
            let unknownField = try await admin.send(
                "POST", "/api/v1/rules",
                json: ["name": "x", "expression": "rtt > 5", "severity": "info", "sevrity": "x"])
            #expect(try unknownField.json()["field"] as? String == "sevrity")

            let created = try await admin.send(
                "POST", "/api/v1/rules",
                json: [
                    "name": "slow", "expression": "rtt > 50 FOR 5m", "severity": "warning",
                    "webhooks": ["http://127.0.0.1:9/hook"],
                ])
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(try created.json()["id"] as? String)
            let changed = try await admin.send("PATCH", "/api/v1/rules/\(id)", json: ["enabled": false])
            #expect(changed.status == 200, "\(changed.text)")
            #expect(try changed.json()["enabled"] as? Bool == false)
            #expect(try await admin.get("/api/v1/rules").list("rules").count == 1)
            #expect(
                try await db.strings("SELECT action FROM audit_log WHERE entity = 'alert_rule' ORDER BY id")
                    == ["create", "update"])
            #expect(try await admin.send("DELETE", "/api/v1/rules/\(id)").status == 204)
            #expect(try await admin.send("DELETE", "/api/v1/rules/\(id)").status == 404)
        }
    }

    @Test("branches: created with a town and its region, changed, refused naming the field; deletions audited")
    func branches() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let admin = try await OperatorAccounts.admin(http, on: db)
            let created = try await admin.send(
                "POST", "/api/v1/branches",
                json: ["name": "batumi-2", "display_name": "Batumi 2", "display_name_ka": "ბათუმი 2", "city": "Batumi"])
            #expect(created.status == 201, "\(created.text)")
            let branch = try created.json()
            #expect(branch["region"] as? String == "Adjara")
            #expect(branch["latitude"] as? Double != nil)
            let id = try #require(branch["id"] as? String)
            let wrongRegion = try await admin.send("PATCH", "/api/v1/branches/\(id)", json: ["region": "Kakheti"])
            #expect(wrongRegion.status == 400)
            #expect(try wrongRegion.json()["field"] as? String == "region")
            let renamed = try await admin.send("PATCH", "/api/v1/branches/\(id)", json: ["address": "Rustaveli 1"])
            #expect(try renamed.json()["address"] as? String == "Rustaveli 1")
            #expect(try await admin.send("DELETE", "/api/v1/branches/\(id)").status == 204)
            #expect(try await admin.get("/api/v1/branches/\(id)").status == 404)
            #expect(
                try await db.strings("SELECT action FROM audit_log WHERE entity = 'branch' ORDER BY id")
                    == ["create", "update", "delete"])
        }
    }

    @Test("alerts: a technician acknowledges and resolves with a comment; a manager sees only their region's")
    func alerts() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            try await Self.seed(db)
            let technician = http.with(token: try await OperatorAccounts.add("tech", role: .technician, on: db).token)
            let manager = http.with(
                token: try await OperatorAccounts.add("kakheti", role: .regionalManager, regions: ["Kakheti"], on: db)
                    .token)
            let open = try await technician.get("/api/v1/alerts?open=true").json()["alerts"] as? [[String: Any]]
            #expect(open?.count == 2)
            let mine = try #require(try await manager.get("/api/v1/alerts").json()["alerts"] as? [[String: Any]])
            #expect(mine.compactMap { $0["branch_name"] as? String } == ["telavi"])
            let kutaisi = try #require(open?.first { $0["branch_name"] as? String == "kutaisi" }?["id"] as? String)
            #expect(try await manager.get("/api/v1/alerts/\(kutaisi)").status == 404)
            #expect(try await manager.send("POST", "/api/v1/alerts/\(kutaisi)/acknowledge", json: [:]).status == 404)

            let acknowledged = try await technician.send(
                "POST", "/api/v1/alerts/\(kutaisi)/acknowledge", json: ["comment": "ISP ticket 4411"])
            #expect(acknowledged.status == 200, "\(acknowledged.text)")
            #expect(try acknowledged.json()["acknowledged_by"] as? String == "tech")
            #expect(try acknowledged.json()["acknowledgement_comment"] as? String == "ISP ticket 4411")
            #expect(
                try await technician.send("POST", "/api/v1/alerts/\(kutaisi)/acknowledge", json: [:]).status == 409)
            let resolved = try await technician.send(
                "POST", "/api/v1/alerts/\(kutaisi)/resolve", json: ["comment": "link restored"])
            #expect(try resolved.json()["resolved_by"] as? String == "tech")
            let stillOpen = try await technician.get("/api/v1/alerts?open=true").json()["alerts"] as? [[String: Any]]
            #expect(stillOpen?.count == 1)
            #expect(try await technician.get("/api/v1/alerts?severity=urgent").json()["field"] as? String == "severity")
            #expect(
                try await db.strings("SELECT action FROM audit_log WHERE entity = 'alert' ORDER BY id")
                    == ["acknowledge", "resolve"])
        }
    }

    @Test("maintenance: a manager schedules windows over their region only; the window is active and can be ended")
    func maintenance() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            try await Self.seed(db)
            let manager = http.with(
                token: try await OperatorAccounts.add("kakheti", role: .regionalManager, regions: ["Kakheti"], on: db)
                    .token)
            let end = Date().addingTimeInterval(3600).formatted(.iso8601)
            let foreign = try await manager.send(
                "POST", "/api/v1/maintenance", json: ["name": "fiber", "branches": ["kutaisi"], "ends_at": end])
            #expect(foreign.status == 403)
            let created = try await manager.send(
                "POST", "/api/v1/maintenance",
                json: ["name": "router swap", "branches": ["telavi"], "ends_at": end, "comment": "CHG-1203"])
            #expect(created.status == 201, "\(created.text)")
            #expect(try created.json()["active_now"] as? Bool == true)
            let id = try #require(try created.json()["id"] as? String)
            let covered = try await MaintenanceWindowStore(logger: TestDatabase.logger).activeDevices(
                at: Date(), on: db)
            #expect(covered.count == 1)
            let badSchedule = try await manager.send(
                "POST", "/api/v1/maintenance",
                json: ["name": "nightly", "regions": ["Kakheti"], "schedule": "61 * * * *", "duration_seconds": 3600])
            #expect(try badSchedule.json()["field"] as? String == "schedule")
            let ended = try await manager.send("POST", "/api/v1/maintenance/\(id)/end", json: [:])
            #expect(ended.status == 200, "\(ended.text)")
            #expect(try ended.json()["active_now"] as? Bool == false)
            #expect(try await manager.get("/api/v1/maintenance").list("windows").isEmpty)
            #expect(try await manager.get("/api/v1/maintenance?all=true").list("windows").count == 1)
        }
    }
}
