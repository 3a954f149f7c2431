import Foundation
import OutpostCollector
import OutpostStore
import OutpostTestSupport
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Management API: monitoring templates", .tags(.postgres), .needsPostgres)
struct TemplateRouteTests {
    static func template(interval: Int = 60) -> [String: Any] {
        [
            "name": "edge-router", "vendor": "Acme", "description": "Acme edge routers",
            "items": [
                [
                    "name": "cpu", "oid_name": "acmeCpu", "oid": "1.3.6.1.4.1.99999.1.1.0", "interval": interval,
                    "value_type": "gauge32", "units": "%",
                ],
                [
                    "name": "uptime", "oid_name": "sysUpTime", "oid": "1.3.6.1.2.1.1.3.0", "interval": 300,
                    "value_type": "timeticks",
                ],
            ],
            "triggers": [["name": "CPU high", "expression": "cpu > 90", "severity": "warning", "for_duration": 300]],
        ]
    }

    @Test("import upserts by name, export gives the import format back, apply counts items, delete audits")
    func lifecycle() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let admin = try await OperatorAccounts.admin(http, on: db)
            let created = try await admin.send("POST", "/api/v1/templates", json: Self.template())
            #expect(created.status == 201, "\(created.text)")
            #expect(try created.json()["created"] as? [String] == ["edge-router"])
            let again = try await admin.send("POST", "/api/v1/templates", json: [Self.template()])
            #expect(again.status == 200)
            #expect(try again.json()["unchanged"] as? [String] == ["edge-router"])

            let listed = try await admin.get("/api/v1/templates").list("templates")
            let summary = try #require(listed.first { $0["name"] as? String == "edge-router" })
            #expect(summary["item_count"] as? Int == 2 && summary["trigger_count"] as? Int == 1)
            #expect(summary["builtin"] as? Bool == false)

            let exported = try await admin.get("/api/v1/templates/edge-router")
            #expect(exported.status == 200)
            let decoded = try JSONDecoder().decode(MonitoringTemplate.self, from: exported.body)
            let posted = try JSONDecoder().decode(
                MonitoringTemplate.self, from: JSONSerialization.data(withJSONObject: Self.template()))
            #expect(decoded == posted)
            let reimported = try await admin.send(
                "POST", "/api/v1/templates", body: exported.body, contentType: "application/json")
            #expect(try reimported.json()["unchanged"] as? [String] == ["edge-router"], "\(reimported.text)")

            let updated = try await admin.send("POST", "/api/v1/templates", json: [Self.template(interval: 120)])
            #expect(try updated.json()["updated"] as? [String] == ["edge-router"])

            let one = try await Fixture.device("edge-1", ip: "10.8.0.1", vendor: "Acme", on: db)
            _ = try await Fixture.device("edge-2", ip: "10.8.0.2", vendor: "acme ", on: db)
            _ = try await Fixture.device("other", ip: "10.8.0.3", vendor: "Other", on: db)
            let applied = try await admin.send(
                "POST", "/api/v1/templates/edge-router/apply", json: ["device_ids": [one.uuidString.lowercased()]])
            #expect(applied.status == 200, "\(applied.text)")
            let counts = try applied.json()
            #expect(counts["devices"] as? Int == 1 && counts["created"] as? Int == 2)
            let matched = try await admin.send("POST", "/api/v1/templates/edge-router/apply", json: ["match": true])
            let matchedCounts = try matched.json()
            #expect(matchedCounts["devices"] as? Int == 2)
            #expect(matchedCounts["created"] as? Int == 2 && matchedCounts["unchanged"] as? Int == 2)
            #expect(try await db.integer("SELECT count(*) FROM monitoring_items WHERE interval = 120") == 2)

            #expect(try await admin.send("DELETE", "/api/v1/templates/edge-router").status == 204)
            #expect(try await admin.get("/api/v1/templates/edge-router").status == 404)
            #expect(try await admin.send("DELETE", "/api/v1/templates/edge-router").status == 404)
            let actions = try await db.strings(
                "SELECT action FROM audit_log WHERE entity = 'template' AND entity_id = 'edge-router' ORDER BY id")
            #expect(actions == ["create", "update", "apply", "apply", "delete"])
        }
    }

    @Test("bad templates and apply bodies are refused; built-in templates are not deleted")
    func refusals() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let admin = try await OperatorAccounts.admin(http, on: db)
            let invalid = try await admin.send("POST", "/api/v1/templates", json: Self.template(interval: 0))
            #expect(invalid.status == 400)
            #expect(try invalid.json()["field"] as? String == "templates")
            #expect((try invalid.json()["error"] as? String)?.contains("interval") == true)
            let notJSON = try await admin.send("POST", "/api/v1/templates", body: Data("{".utf8))
            #expect(notJSON.status == 400)
            #expect(try await db.integer("SELECT count(*) FROM monitoring_templates") == 0)

            _ = try await TemplateStore(logger: TestDatabase.logger).importTemplates(
                try BuiltinTemplates.all(), builtin: true, by: .commandLine(), on: db)
            let builtin = try await admin.send("DELETE", "/api/v1/templates/FortiGate")
            #expect(builtin.status == 409, "\(builtin.text)")
            #expect(try await admin.get("/api/v1/templates/FortiGate").status == 200)
            let escaped = try await admin.get("/api/v1/templates/Cisco%20IOS%2FIOS-XE")
            #expect(escaped.status == 200, "a name with a slash, percent-encoded: \(escaped.text)")

            for body: [String: Any] in [[:], ["match": true, "device_ids": [UUID().uuidString]], ["match": false]] {
                let reply = try await admin.send("POST", "/api/v1/templates/FortiGate/apply", json: body)
                #expect(reply.status == 400, "\(body): \(reply.text)")
                #expect(try reply.json()["field"] as? String == "device_ids")
            }
            let ghost = try await admin.send(
                "POST", "/api/v1/templates/FortiGate/apply", json: ["device_ids": [UUID().uuidString]])
            #expect(ghost.status == 400)
            #expect(try ghost.json()["field"] as? String == "device_ids")
            let missing = try await admin.send("POST", "/api/v1/templates/nothing/apply", json: ["match": true])
            #expect(missing.status == 404)
        }
    }
}
