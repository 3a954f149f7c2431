import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@Suite("Templates in PostgreSQL: import, list, apply", .tags(.postgres), .needsPostgres)
struct TemplateStoreTests {
    static let store = TemplateStore(logger: TestDatabase.logger)

    static func addDevice(_ name: String, vendor: String?, type: String? = nil, on db: PostgresConnection) async throws
        -> UUID
    {
        try await Fixture.device(name, ip: "10.0.0.1", vendor: vendor, deviceType: type, on: db)
    }

    @Test("importing the built-in templates twice creates them once; a changed template is updated")
    func importIsIdempotent() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let builtins = try BuiltinTemplates.all()
            let first = try await Self.store.importTemplates(builtins, builtin: true, by: .commandLine(), on: db)
            #expect(first.created.count == 7 && first.updated.isEmpty && first.unchanged.isEmpty)
            let second = try await Self.store.importTemplates(builtins, builtin: true, by: .commandLine(), on: db)
            #expect(second.unchanged.count == 7 && second.created.isEmpty && second.updated.isEmpty)
            #expect(try await db.integer("SELECT count(*) FROM monitoring_templates") == 7)

            var changed = builtins[0]
            changed.items[0].interval = 120
            let third = try await Self.store.importTemplates([changed], builtin: true, by: .commandLine(), on: db)
            #expect(third.updated == [changed.name])
            let list = try await Self.store.list(on: db)
            #expect(list.count == 7)
            let juniper = try #require(list.first { $0.name == "Juniper" })
            #expect(
                juniper.itemCount == 8 && juniper.triggerCount == 5 && juniper.isBuiltin && juniper.deviceCount == 0)
        }
    }

    @Test("apply materialises one item per template item with its interval; re-applying duplicates nothing")
    func applyHonoursIntervals() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let cisco = try BuiltinTemplates.all()[0]
            _ = try await Self.store.importTemplates([cisco], builtin: true, by: .commandLine(), on: db)
            let router = try await Self.addDevice("core-1", vendor: "Cisco", on: db)
            let other = try await Self.addDevice("core-2", vendor: "Cisco", on: db)

            let first = try await Self.store.apply(
                cisco.name, to: .devices(["core-1", other.uuidString]), by: .commandLine(), on: db)
            #expect(
                first
                    == TemplateStore.ApplyResult(
                        devices: 2, created: 2 * cisco.items.count, updated: 0, unchanged: 0, removed: 0))
            let rows = try await db.strings(
                """
                SELECT name || '|' || oid || '|' || interval || '|' || value_type || '|' || is_table
                FROM monitoring_items WHERE device_id = '\(router)' ORDER BY name
                """)
            let expected = cisco.items.sorted { $0.name < $1.name }.map {
                "\($0.name)|\($0.oid)|\($0.interval)|\($0.valueType)|\($0.isTable)"
            }
            #expect(rows == expected)
            // One row per device for each of these.
            for perDevice in [
                "SELECT count(*) FROM monitoring_items WHERE name = 'cpu_5min' AND oid = '1.3.6.1.4.1.9.9.109.1.1.1.1.8' AND is_table AND interval = 60",
                "SELECT count(*) FROM monitoring_items WHERE name = 'uptime' AND interval = 300 AND NOT is_table",
            ] {
                #expect(try await db.integer(perDevice) == 2, "\(perDevice)")
            }

            let again = try await Self.store.apply(
                cisco.name, to: .devices([router.uuidString, "core-2"]), by: .commandLine(), on: db)
            #expect(
                again
                    == TemplateStore.ApplyResult(
                        devices: 2, created: 0, updated: 0, unchanged: 2 * cisco.items.count, removed: 0))
            #expect(try await db.integer("SELECT count(*) FROM monitoring_items") == 2 * cisco.items.count)

            // A disabled item stays disabled; an interval changed in the template is updated; a dropped item is removed.
            try await db.query(
                "UPDATE monitoring_items SET enabled = false WHERE name = 'cpu_1min'", logger: TestDatabase.logger)
            var changed = cisco
            changed.items[0].interval = 900
            changed.items.removeAll { $0.name == "if_out_errors" }
            _ = try await Self.store.importTemplates([changed], builtin: true, by: .commandLine(), on: db)
            let update = try await Self.store.apply(cisco.name, to: .devices(["core-1"]), by: .commandLine(), on: db)
            #expect(
                update
                    == TemplateStore.ApplyResult(
                        devices: 1, created: 0, updated: 1, unchanged: changed.items.count - 1, removed: 1))
            // The new interval, the dropped item gone, the disabled item still disabled.
            for (query, value) in [
                (
                    "SELECT interval FROM monitoring_items WHERE device_id = '\(router)' AND name = '\(changed.items[0].name)'",
                    900
                ),
                ("SELECT count(*) FROM monitoring_items WHERE device_id = '\(router)' AND name = 'if_out_errors'", 0),
                ("SELECT count(*) FROM monitoring_items WHERE name = 'cpu_1min' AND enabled", 0),
            ] {
                #expect(try await db.integer(query) == value, "\(query)")
            }
        }
    }

    @Test("--match selects devices by vendor (any listed spelling, any case) and device type")
    func applyByMatch() async throws {
        try await TestDatabase.withMigrated { db, _ in
            _ = try await Self.store.importTemplates(
                try BuiltinTemplates.all(), builtin: true, by: .commandLine(), on: db)
            let hp = try await Self.addDevice("sw-1", vendor: "hp", type: "switch", on: db)
            let aruba = try await Self.addDevice("sw-2", vendor: " Aruba ", type: "switch", on: db)
            _ = try await Self.addDevice("fw-1", vendor: "Fortinet", on: db)
            _ = try await Self.addDevice("unknown", vendor: nil, on: db)
            let result = try await Self.store.apply("HP/Aruba", to: .matching, by: .commandLine(), on: db)
            #expect(result.devices == 2)
            #expect(
                Set(try await db.strings("SELECT DISTINCT device_id::text FROM monitoring_items")) == [
                    hp.uuidString.lowercased(), aruba.uuidString.lowercased(),
                ])

            let typed = MonitoringTemplate(
                name: "switches only", deviceTypes: ["Switch"],
                items: [
                    .init(
                        name: "uptime", oidName: "sysUpTime", oid: ".1.3.6.1.2.1.1.3.0", interval: 30,
                        valueType: "timeticks")
                ])
            _ = try await Self.store.importTemplates([typed], builtin: false, by: .commandLine(), on: db)
            #expect(try await Self.store.apply("switches only", to: .matching, by: .commandLine(), on: db).devices == 2)
            #expect(
                try await db.strings(
                    "SELECT DISTINCT oid FROM monitoring_items WHERE name = 'uptime' AND interval = 30") == [
                        "1.3.6.1.2.1.1.3.0"
                    ])
        }
    }

    @Test("unknown templates, unknown and ambiguous devices are refused and change nothing")
    func refusals() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let cisco = try BuiltinTemplates.all()[0]
            _ = try await Self.store.importTemplates([cisco], builtin: true, by: .commandLine(), on: db)
            _ = try await Self.addDevice("twin", vendor: "Cisco", on: db)
            _ = try await Self.addDevice("twin", vendor: "Cisco", on: db)
            _ = try await Self.addDevice("single", vendor: "Cisco", on: db)
            await #expect(throws: TemplateError.unknownTemplate("nope")) {
                try await Self.store.apply("nope", to: .matching, by: .commandLine(), on: db)
            }
            await #expect(throws: DeviceLookupError.ambiguous(name: "twin", matches: 2)) {
                try await Self.store.apply(cisco.name, to: .devices(["single", "twin"]), by: .commandLine(), on: db)
            }
            await #expect(throws: DeviceLookupError.unknown("ghost")) {
                try await Self.store.apply(cisco.name, to: .devices(["single", "ghost"]), by: .commandLine(), on: db)
            }
            #expect(try await db.integer("SELECT count(*) FROM monitoring_items") == 0)
            let anyDevice = MonitoringTemplate(name: "no match rule", items: cisco.items)
            _ = try await Self.store.importTemplates([anyDevice], builtin: false, by: .commandLine(), on: db)
            await #expect(throws: TemplateError.nothingToMatch(template: "no match rule")) {
                try await Self.store.apply("no match rule", to: .matching, by: .commandLine(), on: db)
            }
        }
    }
}
