import Foundation
import OutpostCollector
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@Suite("Device CSV import and export", .tags(.postgres), .needsPostgres)
struct DeviceCSVImportTests {
    static let actor = AuditActor(name: "nino", source: "test")
    static let header =
        "branch,name,ip,hostname,vendor,device_type,device_subtype,model,location,description,enabled,tags,ssh_port,ssh_username"
    let importer = DeviceCSVImport(logger: TestDatabase.logger)
    let inventory = DeviceInventory(logger: TestDatabase.logger)

    /// Two branches in two regions, and one device in each.
    static func addInventory(_ db: PostgresConnection) async throws {
        try await db.execute(
            """
            INSERT INTO branches (name, display_name, region) VALUES
                ('tbilisi-1', 'Tbilisi 1', 'Tbilisi'), ('batumi-1', 'Batumi 1', 'Adjara')
            """)
        let inventory = DeviceInventory(logger: TestDatabase.logger)
        _ = try await inventory.create(
            DeviceDraft(name: "core", ip: "10.1.0.1", branch: "tbilisi-1", vendor: "Cisco"), by: actor, on: db)
        _ = try await inventory.create(
            DeviceDraft(name: "edge", ip: "10.2.0.1", branch: "batumi-1", tags: ["wan"]), by: actor, on: db)
    }

    @Test("a file with good and bad rows: every bad row named with its line, nothing applied")
    func mixedRowsRefused() async throws {
        try await TestDatabase.withMigrated { db, _ in
            try await Self.addInventory(db)
            let csv = """
                branch,name,ip,description,enabled,ssh_port,tags
                tbilisi-1,new-1,10.1.0.2,"two
                lines",true,22,a;b
                tbilisi-1,bad-ip,10.1.0.300,,,,
                tbilisi-1,,10.1.0.4,,,,

                nowhere,x,10.9.0.1,,,,
                tbilisi-1,new-1,10.1.0.5,,,,
                tbilisi-1,p,10.1.0.6,,maybe,,
                tbilisi-1,q,10.1.0.7,,,99999,
                tbilisi-1,r,10.1.0.8,,,,,extra
                batumi-1,edge,10.2.0.1,,,,wan
                tbilisi-1,core,10.1.0.1,"=cmd|' /C calc'!A0",,,

                """
            let plan = try await importer.plan(csv: csv, regions: nil, on: db)
            #expect(plan.creates.map(\.line) == [2])
            #expect(plan.unchanged == [12])
            #expect(plan.updates.map(\.line) == [13])
            #expect(plan.updates.first?.changedFields == ["description"])
            #expect(
                plan.refused == [
                    .init(line: 4, reason: #"ip: "10.1.0.300" is not an IPv4 or IPv6 address"#),
                    .init(line: 5, reason: "name: is required"),
                    .init(line: 7, reason: #"branch: no branch named "nowhere""#),
                    .init(line: 8, reason: "name: line 2 has the same branch and name"),
                    .init(line: 9, reason: #"enabled: must be true or false, not "maybe""#),
                    .init(line: 10, reason: "ssh_port: must be 1 to 65535, not 99999"),
                    .init(line: 11, reason: "row: has 8 cells; the header has 7"),
                ])
            await #expect(throws: DeviceImportError.refused(plan.refused)) {
                try await importer.apply(plan, by: Self.actor, on: db)
            }
            #expect(try await db.integer("SELECT count(*) FROM standalone_devices") == 2)
            #expect(try await db.integer("SELECT count(*) FROM audit_log WHERE action <> 'create'") == 0)
            #expect(DeviceImportError.refused(plan.refused).description.contains("line 11: row: has 8 cells"))

            // A regional manager's file: rows of other regions are refused.
            let scoped = try await importer.plan(
                csv: "branch,name,ip\ntbilisi-1,t,10.1.0.9\nbatumi-1,b,10.2.0.9\n,n,10.3.0.9\n", regions: ["Adjara"],
                on: db)
            #expect(scoped.creates.map(\.line) == [3])
            #expect(
                scoped.refused == [
                    .init(line: 2, reason: #"branch: branch "tbilisi-1" is outside your regions"#),
                    .init(line: 4, reason: "branch: a device of no branch is outside your regions"),
                ])
        }
    }

    @Test("a good file: creates, updates by name or by IP, leaves the rest, in one audited transaction")
    func goodFileApplied() async throws {
        try await TestDatabase.withMigrated { db, _ in
            try await Self.addInventory(db)
            let csv = """
                branch,name,ip,vendor,enabled,tags
                tbilisi-1,core,10.1.0.1,Juniper,false,
                batumi-1,edge-renamed,10.2.0.1,,true,wan
                batumi-1,new,10.2.0.2,,,x;y
                ,orphan,10.3.0.1,,,
                """
            let plan = try await importer.plan(csv: csv, regions: nil, on: db)
            #expect(plan.refused.isEmpty && plan.unchanged.isEmpty)
            #expect(plan.creates.map(\.line) == [4, 5])
            #expect(plan.updates.map(\.changedFields) == [["vendor", "enabled"], ["name"]])
            let summary = try await importer.apply(plan, by: Self.actor, on: db)
            #expect(summary == DeviceImportSummary(created: 2, updated: 2, unchanged: 0))
            #expect(
                try await db.strings(
                    """
                    SELECT coalesce(b.name, '-') || ' ' || d.name || ' ' || d.ip || ' ' || coalesce(d.vendor, '-')
                           || ' ' || d.enabled || ' ' || d.tags::text
                    FROM standalone_devices d LEFT JOIN branches b ON b.id = d.branch_id ORDER BY d.ip
                    """) == [
                        "tbilisi-1 core 10.1.0.1 Juniper false []", #"batumi-1 edge-renamed 10.2.0.1 - true ["wan"]"#,
                        #"batumi-1 new 10.2.0.2 - true ["x", "y"]"#, "- orphan 10.3.0.1 - true []",
                    ])
            #expect(
                try await db.strings(
                    "SELECT action || ' ' || changes::text FROM audit_log WHERE id > 2 ORDER BY id") == [
                        #"update {"vendor": {"after": "Juniper", "before": "Cisco"}, "enabled": {"after": false, "before": true}}"#,
                        #"update {"name": {"after": "edge-renamed", "before": "edge"}}"#,
                        try await db.strings("SELECT 'create ' || changes::text FROM audit_log WHERE id = 5")[0],
                        try await db.strings("SELECT 'create ' || changes::text FROM audit_log WHERE id = 6")[0],
                        #"import {"created": {"after": 2}, "updated": {"after": 2}, "unchanged": {"after": 0}}"#,
                    ])
            #expect(try await db.integer("SELECT count(*) FROM audit_log WHERE action = 'create'") == 4)
            // The same file again changes nothing.
            let again = try await importer.plan(csv: csv, regions: nil, on: db)
            #expect(again.unchanged.count == 4 && again.creates.isEmpty && again.updates.isEmpty)
        }
    }

    @Test("export then import of the same file changes nothing; formulas are neutralised")
    func roundTrip() async throws {
        try await TestDatabase.withMigrated { db, _ in
            try await Self.addInventory(db)
            let awkward: [DeviceDraft] = [
                DeviceDraft(
                    name: "comma, \"quoted\"", ip: "2001:db8::1", branch: "tbilisi-1", hostname: " leading space",
                    description: "line one\nline two\r\nline three, with \"quotes\"", tags: ["a b", "ც"]),
                DeviceDraft(
                    name: "=HYPERLINK(\"http://evil\")", ip: "10.1.0.9", branch: "tbilisi-1", vendor: "+SUM(1)",
                    model: "-2", location: "@risk", description: "'=already quoted", tags: ["=t"], sshPort: 2200,
                    sshUsername: "'plain"),
                DeviceDraft(name: "disabled", ip: "10.1.0.10", enabled: false),
            ]
            for draft in awkward { _ = try await inventory.create(draft, by: Self.actor, on: db) }
            let exported = DeviceCSVExport.csv(try await inventory.all(on: db))
            #expect(exported.hasPrefix(Self.header + "\n"))
            #expect(exported.contains(#""'=HYPERLINK(""http://evil"")""#))
            #expect(exported.contains(",'+SUM(1),") && exported.contains(",'-2,") && exported.contains(",'@risk,"))
            #expect(exported.contains(",''=already quoted,") && exported.contains(",''plain"))
            #expect(exported.contains(#","comma, ""quoted""","#))
            for line in exported.split(separator: "\n") {
                for cell in line.split(separator: ",") {
                    #expect(!["=", "+", "-", "@"].contains(cell.first), "formula in \(line)")
                }
            }
            let plan = try await importer.plan(csv: exported, regions: nil, on: db)
            #expect(plan.refused == [] && plan.creates.isEmpty)
            #expect(plan.updates.map(\.changedFields) == [])
            #expect(plan.unchanged.count == 5)
            let summary = try await importer.apply(plan, by: Self.actor, on: db)
            #expect(summary == DeviceImportSummary(created: 0, updated: 0, unchanged: 5))
            #expect(DeviceCSVExport.csv(try await inventory.all(on: db)) == exported)
        }
    }

    @Test("file-level refusals: size, rows, header, syntax")
    func fileRefused() async throws {
        try await TestDatabase.withMigrated { db, _ in
            func refusal(_ csv: String) async -> DeviceImportError? {
                do {
                    _ = try await importer.plan(csv: csv, regions: nil, on: db)
                    return nil
                } catch let error as DeviceImportError {
                    return error
                } catch {
                    Issue.record("unexpected \(error)")
                    return nil
                }
            }
            let big = "name,ip\n" + String(repeating: "x", count: 10 * 1024 * 1024)
            #expect(await refusal(big) == .tooLarge(bytes: big.utf8.count))
            let rows = "name,ip\n" + (0...50_000).map { "d\($0),10.0.0.1\n" }.joined()
            #expect(await refusal(rows) == .tooManyRows(maximum: 50_000))
            #expect(await refusal("") == .header("the file is empty: a header line is required"))
            #expect(await refusal("name,ip,colour\n") == .header(#"unknown columns: "colour""#))
            #expect(await refusal("name,hostname\n") == .header("required columns missing: ip"))
            #expect(await refusal("name,ip,name\n") == .header("repeated columns: name"))
            #expect(await refusal("name,ip\n\"open,10.0.0.1\n") == .malformed("a quoted field is not closed"))
            #expect(await refusal("name,ip\nab\"c\"d,10.0.0.1\n") == .malformed("Can't have non-quote here: c"))
            #expect(await refusal("Name , IP\nx,10.0.0.1\n") == nil, "header names ignore case and blanks")
        }
    }
}
