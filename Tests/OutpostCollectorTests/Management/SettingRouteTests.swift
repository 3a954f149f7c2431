import Foundation
import OutpostCollector
import OutpostStore
import OutpostTestSupport
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Management API: settings", .tags(.postgres), .needsPostgres)
struct SettingRouteTests {
    @Test("every known key is listed with its default until set; a change is stored, read back and audited")
    func listAndSet() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let admin = try await OperatorAccounts.admin(http, on: db)
            let listed = try await admin.get("/api/v1/settings").list("settings")
            #expect(listed.compactMap { $0["key"] as? String } == SystemSetting.all.map(\.key))
            let packets = try #require(listed.first { $0["key"] as? String == "ping.packets" })
            #expect(packets["value"] as? Double == 3 && packets["is_default"] as? Bool == true)
            #expect(packets["type"] as? String == "integer" && packets["maximum"] as? Double == 100)

            let changed = try await admin.send("PUT", "/api/v1/settings/ping.packets", json: ["value": 5])
            #expect(changed.status == 200, "\(changed.text)")
            #expect(try await db.strings("SELECT value FROM system_config WHERE key = 'ping.packets'") == ["5"])
            let interval = try await admin.send("PUT", "/api/v1/settings/ping.interval_seconds", json: ["value": 2.5])
            #expect(interval.status == 200, "\(interval.text)")
            let settings = try await BranchConfigStore(logger: TestDatabase.logger).pingSettings(on: db)
            #expect(settings.packets == 5 && settings.intervalSeconds == 5, "raised to a round of 5 packets")
            _ = try await admin.send("PUT", "/api/v1/settings/ping.packets", json: ["value": 5])

            let relisted = try await admin.get("/api/v1/settings").list("settings")
            let now = try #require(relisted.first { $0["key"] as? String == "ping.packets" })
            #expect(now["value"] as? Double == 5 && now["is_default"] as? Bool == false)
            let audit = try await db.strings(
                "SELECT entity_id || ' ' || action || ' ' || changes::text FROM audit_log WHERE entity = 'setting' ORDER BY id"
            )
            #expect(audit.count == 2, "an unchanged value is not audited: \(audit)")
            #expect(audit.first?.hasPrefix("ping.packets create") == true)
        }
    }

    @Test("unknown keys are 404, values out of range or of the wrong kind 400 naming value")
    func refusals() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let admin = try await OperatorAccounts.admin(http, on: db)
            #expect(try await admin.send("PUT", "/api/v1/settings/ping.nothing", json: ["value": 1]).status == 404)
            for body: [String: Any] in [
                ["value": 0], ["value": 101], ["value": 2.5], ["value": "3"], [:], ["value": 3, "extra": 1],
            ] {
                let reply = try await admin.send("PUT", "/api/v1/settings/ping.packets", json: body)
                #expect(reply.status == 400, "\(body): \(reply.text)")
                let field = try reply.json()["field"] as? String
                #expect(field == (body["extra"] == nil ? "value" : "extra"), "\(body): \(reply.text)")
            }
            let tooShort = try await admin.send("PUT", "/api/v1/settings/ping.interval_seconds", json: ["value": 0.1])
            #expect(tooShort.status == 400)
            #expect(try tooShort.json()["field"] as? String == "value")
            #expect(try await db.integer("SELECT count(*) FROM system_config WHERE key LIKE 'ping.%'") == 0)
        }
    }
}
