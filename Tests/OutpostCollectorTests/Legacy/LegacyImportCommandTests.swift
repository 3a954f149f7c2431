import Foundation
import OutpostLegacy
import OutpostPKI
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

/// `outpost-collector import legacy` and `import legacy-templates`, run as the real binary.
extension LegacyImportTests {
    @Test("killed half way through the ping history, the import resumes and ends as one run would")
    func killedAndResumed() async throws {
        let now = Date()
        try await withTemporaryDirectory { directory in
            let fixture = try await LegacyFixture.make(in: directory, now: now, pings: 30_000)
            try await TestDatabase.withMigrated { db, database in
                let keyFile = directory + "/master.key"
                _ = try MasterKey.create(at: keyFile)
                let url =
                    "postgres://\(database.url.username)@\(database.url.host):\(database.url.port)/\(database.url.database)"
                let arguments = [
                    "import", "legacy", "--sqlite", fixture.path, "--fernet-key-file", fixture.key1File,
                    "--fernet-key-file", fixture.key2File, "--master-key-file", keyFile, "--database-url", url,
                    "--ping-batch", "500",
                ]
                let first = ChildProcess(try BuiltProduct.collector, arguments)
                let started = try await database.eventually(
                    "SELECT coalesce(max(last_id), 0)::int FROM legacy_import_progress", within: .seconds(60)
                ) { $0 > 0 }
                #expect(started > 0)
                _ = await first.stop(with: .kill)
                let copiedBeforeKill = try await db.integer("SELECT count(*)::int FROM ping_results")
                #expect(copiedBeforeKill < 30_046, "the import ended before it was killed")

                let resumed = try await Command.run(try BuiltProduct.collector, arguments)
                #expect(resumed.status == 0, "\(resumed.combined)")
                #expect(resumed.standardOutput.contains("ping_results: resumed after legacy id"))
                #expect(try await db.integer("SELECT count(*)::int FROM ping_results") == 30_046)
                #expect(try await db.integer("SELECT count(*)::int FROM standalone_devices") == 7)
                let lines = resumed.standardOutput.split(separator: "\n")
                let pingLine = try #require(lines.first { $0.hasPrefix("ping_results ") })
                #expect(pingLine.hasSuffix("yes"), "\(resumed.standardOutput)")

                let again = try await Command.run(try BuiltProduct.collector, arguments)
                #expect(again.status == 0, "\(again.combined)")
                #expect(try await db.integer("SELECT count(*)::int FROM ping_results") == 30_046)
                let devicesLine = try #require(
                    again.standardOutput.split(separator: "\n").first { $0.hasPrefix("standalone_devices ") })
                #expect(
                    devicesLine.split(separator: " ", omittingEmptySubsequences: true).prefix(6).joined(separator: " ")
                        == "standalone_devices standalone_devices 10 7 7 3")
            }
        }
    }

    @Test("legacy template files: refused by `templates import`, imported by `import legacy-templates` and applied")
    func legacyTemplateFiles() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory + "/cisco_template.json"
            try Self.legacyTemplate.write(toFile: file, atomically: true, encoding: .utf8)
            // The Outpost format stays strict.
            #expect(throws: (any Error).self) { try TemplateStore.templates(inFile: file) }
            try await TestDatabase.withMigrated { db, database in
                let url =
                    "postgres://\(database.url.username)@\(database.url.host):\(database.url.port)/\(database.url.database)"
                let imported = try await Command.run(
                    try BuiltProduct.collector, ["import", "legacy-templates", file, "--database-url", url])
                #expect(imported.status == 0, "\(imported.combined)")
                #expect(imported.standardOutput.contains("created:   Cisco IOS/IOS-XE Standard"))
                try await db.execute(
                    "INSERT INTO standalone_devices (name, ip, vendor) VALUES ('r1', '10.0.0.1', 'Cisco')")
                _ = try await TemplateStore(logger: Self.logger).apply(
                    "Cisco IOS/IOS-XE Standard", to: .devices(["r1"]), by: AuditActor(name: "t", source: "test"), on: db
                )
                #expect(
                    try await db.strings("SELECT name || ':' || value_type FROM monitoring_items ORDER BY name")
                        == ["cpu_5sec:gauge32", "if_oper_status:integer", "sys_descr:string"])
                let again = try await Command.run(
                    try BuiltProduct.collector, ["import", "legacy-templates", file, "--database-url", url])
                #expect(again.standardOutput.contains("unchanged: Cisco IOS/IOS-XE Standard"))
            }
        }
        let bad = try #require(Self.legacyTemplate.data(using: .utf8))
        let text = String(decoding: bad, as: UTF8.self).replacingOccurrences(of: "\"error\"", with: "\"apocalyptic\"")
        #expect(throws: LegacyTemplateFormat.Refused.self) {
            try LegacyTemplateFormat.templates(inJSON: Data(text.utf8), source: "t.json")
        }
    }

    /// The shape of the legacy's `monitoring/templates/*.json`: labels as item names, `gauge`,
    /// severity `error`, triggers naming items by `oid_name`.
    static let legacyTemplate = """
        {
          "name": "Cisco IOS/IOS-XE Standard",
          "description": "Standard monitoring template for Cisco routers",
          "vendor": "Cisco",
          "device_types": ["router", "switch"],
          "is_default": true,
          "items": [
            {"name": "System Description", "oid_name": "sysDescr", "oid": "1.3.6.1.2.1.1.1.0", "interval": 300,
             "value_type": "string", "units": "", "description": "Device model"},
            {"name": "CPU 5sec Average", "oid_name": "cpu_5sec", "oid": "1.3.6.1.4.1.9.2.1.56.0", "interval": 60,
             "value_type": "gauge", "units": "%"},
            {"name": "Interface Operational Status", "oid_name": "ifOperStatus", "oid": "1.3.6.1.2.1.2.2.1.8",
             "interval": 60, "value_type": "integer", "units": "", "is_table": true}
          ],
          "triggers": [
            {"name": "High CPU Usage", "expression": "cpu_5sec > 90", "severity": "warning", "for_duration": 300},
            {"name": "Interface Down", "expression": "ifOperStatus == 2", "severity": "error", "for_duration": 60}
          ]
        }
        """
}
