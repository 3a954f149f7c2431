import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@Suite("Template triggers as alert rules", .tags(.postgres), .needsPostgres)
struct TemplateTriggerRulesTests {
    static let store = TemplateStore(logger: TestDatabase.logger)

    static func rules(_ db: PostgresConnection) async throws -> [String] {
        try await db.strings(
            """
            SELECT d.name || '|' || r.name || '|' || r.expression || '|' || r.severity
            FROM alert_rules r JOIN standalone_devices d ON d.id = r.device_id
            WHERE r.template_id IS NOT NULL ORDER BY d.name, r.name
            """)
    }

    @Test("applying the Cisco template brings its alerts; re-importing updates them, deleting removes them")
    func triggersFollowTheTemplate() async throws {
        try await TestDatabase.withMigrated { db, _ in
            var cisco = try BuiltinTemplates.all()[0]
            cisco.name = "Cisco (test copy)"
            _ = try await Self.store.importTemplates([cisco], builtin: false, by: .commandLine(), on: db)
            try await Fixture.device("core-1", ip: "10.0.0.1", vendor: "Cisco", on: db)
            try await Fixture.device("fw-1", ip: "10.0.0.2", vendor: "Fortinet", on: db)
            _ = try await Self.store.apply(cisco.name, to: .matching, by: .commandLine(), on: db)
            let applied = try await Self.rules(db)
            #expect(applied.count == cisco.triggers.count)
            #expect(applied.contains("core-1|Interface down|if_down > 0 FOR 120s|warning"))
            #expect(
                applied.contains(
                    "core-1|Temperature sensor critical or shut down|last(temperature_state) >= 3|critical"))
            #expect(applied.allSatisfy { $0.hasPrefix("core-1|") })
            // Applying again changes nothing.
            _ = try await Self.store.apply(cisco.name, to: .matching, by: .commandLine(), on: db)
            #expect(try await Self.rules(db) == applied)

            // A changed template: one trigger's severity changes, one trigger is gone.
            cisco.triggers[0].severity = "critical"
            let gone = cisco.triggers.removeLast().name
            _ = try await Self.store.importTemplates([cisco], builtin: false, by: .commandLine(), on: db)
            let updated = try await Self.rules(db)
            #expect(updated.count == cisco.triggers.count)
            #expect(!updated.contains { $0.contains("|\(gone)|") })
            #expect(
                updated.contains("core-1|\(cisco.triggers[0].name)|\(cisco.triggers[0].expression) FOR 300s|critical"))

            try await Self.store.delete(cisco.name, by: .commandLine(), on: db)
            #expect(try await Self.rules(db).isEmpty)
        }
    }

    @Test("every trigger of every built-in template becomes an alert rule")
    func builtinTriggersAllMaterialise() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let builtins = try BuiltinTemplates.all()
            _ = try await Self.store.importTemplates(builtins, builtin: true, by: .commandLine(), on: db)
            try await Fixture.device("box", ip: "10.0.0.9", on: db)
            for template in builtins {
                _ = try await Self.store.apply(template.name, to: .devices(["box"]), by: .commandLine(), on: db)
            }
            #expect(
                try await db.integer("SELECT count(*) FROM alert_rules WHERE template_id IS NOT NULL")
                    == builtins.map(\.triggers.count).reduce(0, +))
        }
    }

    @Test("a trigger whose expression is not a valid rule is skipped, the others are materialised")
    func invalidTriggersAreSkipped() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let template = MonitoringTemplate(
                name: "odd", vendor: "Acme",
                items: [
                    .init(name: "cpu", oidName: "cpu", oid: "1.3.6.1.4.1.1.1.0", interval: 60, valueType: "gauge32")
                ],
                triggers: [
                    .init(name: "fine", expression: "last(cpu) > 90", severity: "high"),
                    .init(name: "broken", expression: "last(cpu) >", severity: "high"),
                ])
            _ = try await Self.store.importTemplates([template], builtin: false, by: .commandLine(), on: db)
            try await Fixture.device("box", ip: "10.0.0.3", vendor: "Acme", on: db)
            _ = try await Self.store.apply("odd", to: .matching, by: .commandLine(), on: db)
            #expect(try await Self.rules(db) == ["box|fine|last(cpu) > 90|high"])
        }
    }
}
