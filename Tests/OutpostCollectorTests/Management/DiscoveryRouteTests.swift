import Foundation
import OutpostCollector
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Management API: discovery", .tags(.postgres), .needsPostgres)
struct DiscoveryRouteTests {
    static func branch(_ name: String, region: String, on db: PostgresConnection) async throws {
        try await db.query(
            "INSERT INTO branches (name, display_name, region) VALUES (\(name), \(name), \(region))",
            logger: TestDatabase.logger)
    }

    @Test("a rule is added, run by the API as a job with progress, and cancelled; all audited")
    func lifecycle() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let admin = try await OperatorAccounts.admin(http, on: db)
            try await Self.branch("telavi-1", region: "Kakheti", on: db)
            let added = try await admin.send(
                "POST", "/api/v1/discovery/rules",
                json: [
                    "name": "telavi lan", "ranges": ["10.7.0.0/24"], "exclusions": ["10.7.0.1"], "branch": "telavi-1",
                    "ping_only": true, "schedule": "0 3 * * *",
                ])
            #expect(added.status == 201, "\(added.text)")
            let rule = try added.json()
            let ruleID = try #require(rule["id"] as? String)
            #expect(rule["ranges"] as? [String] == ["10.7.0.0/24"] && rule["ping_only"] as? Bool == true)
            #expect(
                try await admin.get("/api/v1/discovery/rules").list("rules").map { $0["name"] as? String } == [
                    "telavi lan"
                ])

            let technician = http.with(token: try await OperatorAccounts.add("tech", role: .technician, on: db).token)
            let run = try await technician.send("POST", "/api/v1/discovery/rules/\(ruleID)/run")
            #expect(run.status == 202, "\(run.text)")
            let jobID = try #require(try run.json()["job_id"] as? String)
            let job = try await technician.get("/api/v1/discovery/jobs/\(jobID)").json()
            #expect(job["status"] as? String == "pending" && job["triggered_by"] as? String == "api")
            #expect(job["rule"] as? String == "telavi lan" && job["scanned_ips"] as? Int == 0)
            #expect(
                try await db.integer(
                    "SELECT count(*) FROM discovery_jobs j JOIN users u ON u.id = j.triggered_by_user WHERE u.username = 'tech'"
                )
                    == 1)
            _ = try await technician.send("POST", "/api/v1/discovery/rules/\(ruleID)/run")
            let page = try await technician.get("/api/v1/discovery/jobs?limit=1").list("jobs")
            #expect(page.count == 1 && page.first?["id"] as? String != jobID, "newest first")
            #expect(try await technician.get("/api/v1/discovery/jobs?limit=0").status == 400)

            let cancelled = try await technician.send("POST", "/api/v1/discovery/jobs/\(jobID)/cancel")
            #expect(try cancelled.json()["status"] as? String == "cancelled")
            #expect(try await technician.send("POST", "/api/v1/discovery/jobs/\(jobID)/cancel").status == 409)
            #expect(try await technician.get("/api/v1/discovery/jobs/\(UUID().uuidString)").status == 404)
            #expect(try await technician.send("POST", "/api/v1/discovery/rules/\(UUID().uuidString)/run").status == 404)

            let audit = try await db.strings(
                "SELECT entity || ' ' || action || ' ' || actor FROM audit_log WHERE entity LIKE 'discovery_%' ORDER BY id"
            )
            #expect(
                audit == [
                    "discovery_rule create admin", "discovery_job run tech", "discovery_job run tech",
                    "discovery_job cancel tech",
                ])
        }
    }

    @Test("a regional manager sees and runs only the rules and jobs of their regions")
    func regionReach() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let admin = try await OperatorAccounts.admin(http, on: db)
            try await Self.branch("kutaisi-1", region: "Imereti", on: db)
            let added = try await admin.send(
                "POST", "/api/v1/discovery/rules",
                json: ["name": "kutaisi", "ranges": ["10.8.0.0/24"], "branch": "kutaisi-1", "ping_only": true])
            let ruleID = try #require(try added.json()["id"] as? String)
            let manager = http.with(
                token: try await OperatorAccounts.add("kakheti", role: .regionalManager, regions: ["Kakheti"], on: db)
                    .token)
            #expect(try await manager.send("POST", "/api/v1/discovery/rules/\(ruleID)/run").status == 403)
            #expect(try await db.integer("SELECT count(*) FROM discovery_jobs") == 0)

            let jobID = try #require(
                try await admin.send("POST", "/api/v1/discovery/rules/\(ruleID)/run").json()["job_id"] as? String)
            #expect(try await manager.get("/api/v1/discovery/rules").list("rules").isEmpty)
            #expect(try await manager.get("/api/v1/discovery/jobs").list("jobs").isEmpty)
            #expect(try await manager.get("/api/v1/discovery/jobs/\(jobID)").status == 404)
            #expect(try await manager.send("POST", "/api/v1/discovery/jobs/\(jobID)/cancel").status == 403)
            let imereti = http.with(
                token: try await OperatorAccounts.add("imereti", role: .regionalManager, regions: ["Imereti"], on: db)
                    .token)
            #expect(try await imereti.get("/api/v1/discovery/rules").list("rules").count == 1)
            #expect(try await imereti.get("/api/v1/discovery/jobs").list("jobs").count == 1)
            #expect(try await imereti.get("/api/v1/discovery/jobs/\(jobID)").status == 200)
            #expect(try await imereti.send("POST", "/api/v1/discovery/jobs/\(jobID)/cancel").status == 200)
        }
    }

    @Test("rules are checked as `discovery rule add` checks them, naming the field")
    func validation() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let admin = try await OperatorAccounts.admin(http, on: db)
            try await Self.branch("gori-1", region: "Shida Kartli", on: db)
            let valid: [String: Any] = [
                "name": "gori", "ranges": ["10.9.0.0/24"], "branch": "gori-1", "ping_only": true,
            ]
            #expect(try await admin.send("POST", "/api/v1/discovery/rules", json: valid).status == 201)
            let changes: [([String: Any], String)] = [
                (["name": "gori"], "name"),
                (["name": "", "ranges": ["10.9.0.0/24"]], "name"),
                (["ranges": ["10.9.0.0/33"]], "ranges"),
                (["ranges": []], "ranges"),
                (["exclusions": ["nonsense"]], "ranges"),
                (["schedule": "every day"], "schedule"),
                (["branch": "nowhere"], "branch"),
                (["ping_only": false], "credentials"),
                (["credentials": [UUID().uuidString], "ping_only": false], "credentials"),
                (["snmp_port": 0], "snmp_port"),
                (["agent": "not-a-uuid"], "agent"),
                (["typo": 1], "typo"),
            ]
            for (change, field) in changes {
                var body = valid
                body["name"] = "other"
                body.merge(change) { $1 }
                let reply = try await admin.send("POST", "/api/v1/discovery/rules", json: body)
                #expect(reply.status == 400, "\(change): \(reply.text)")
                #expect(try reply.json()["field"] as? String == field, "\(change): \(reply.text)")
            }
            var noTarget = valid
            noTarget["name"] = "untargeted"
            noTarget.removeValue(forKey: "branch")
            let untargeted = try await admin.send("POST", "/api/v1/discovery/rules", json: noTarget)
            #expect(try untargeted.json()["field"] as? String == "branch", "\(untargeted.text)")
            #expect(try await db.integer("SELECT count(*) FROM discovery_rules") == 1)
        }
    }
}
