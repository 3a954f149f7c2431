import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@Suite("Device inventory: changes and their audit", .tags(.postgres), .needsPostgres)
struct DeviceInventoryTests {
    static let actor = AuditActor(name: "nino", source: "test")
    let inventory = DeviceInventory(logger: TestDatabase.logger)

    /// Two branches in two regions.
    static func addBranches(_ db: PostgresConnection) async throws {
        try await db.execute(
            """
            INSERT INTO branches (name, display_name, region) VALUES
                ('tbilisi-1', 'Tbilisi 1', 'Tbilisi'), ('batumi-1', 'Batumi 1', 'Adjara')
            """)
    }

    /// `action changes` of the device audit entries, oldest first.
    static func audit(_ db: PostgresConnection) async throws -> [String] {
        try await db.strings(
            "SELECT action || ' ' || changes::text FROM audit_log WHERE entity = 'device' ORDER BY id")
    }

    @Test("create, update, move, delete: each writes its row and an audit entry of the fields it changed")
    func lifecycle() async throws {
        try await TestDatabase.withMigrated { db, _ in
            try await Self.addBranches(db)
            let created = try await inventory.create(
                DeviceDraft(
                    name: "core-sw", ip: "10.1.0.1", branch: "tbilisi-1", hostname: "", vendor: "Cisco",
                    tags: ["core", "l3"], sshPort: 2222),
                by: Self.actor, on: db)
            #expect(created.branchName == "tbilisi-1" && created.region == "Tbilisi")
            #expect(created.hostname == nil, "an empty text is no value")
            #expect(created.tags == ["core", "l3"] && created.sshPort == 2222 && created.enabled)
            #expect(try await inventory.device(id: created.id, on: db) == created)

            var patch = DevicePatch()
            patch.ip = "10.1.0.2"
            patch.vendor = .some(nil)
            patch.location = "rack 4"
            let updated = try await inventory.update(id: created.id, patch, by: Self.actor, on: db)
            #expect(updated.ip == "10.1.0.2" && updated.vendor == nil && updated.location == "rack 4")
            #expect(updated.updatedAt != nil)

            var move = DevicePatch()
            move.branch = "batumi-1"
            let moved = try await inventory.update(id: created.id, move, by: Self.actor, on: db)
            #expect(moved.branchName == "batumi-1" && moved.region == "Adjara")
            #expect(
                try await db.strings("SELECT name || '=' || device_count FROM branches ORDER BY name") == [
                    "batumi-1=1", "tbilisi-1=0",
                ])
            // Nothing to change: no write, no entry.
            _ = try await inventory.update(id: created.id, move, by: Self.actor, on: db)
            // A move to no such branch is refused and leaves the device where it was.
            var lost = DevicePatch()
            lost.branch = "nowhere"
            await #expect(throws: InputError(field: "branch", reason: #"no branch named "nowhere""#)) {
                try await inventory.update(id: created.id, lost, by: Self.actor, on: db)
            }
            #expect(try await inventory.device(id: created.id, on: db)?.branchName == "batumi-1")

            try await inventory.delete(id: created.id, by: Self.actor, on: db)
            #expect(try await inventory.device(id: created.id, on: db) == nil)

            let entries = try await Self.audit(db)
            #expect(entries.count == 4)
            #expect(entries[0].hasPrefix("create ") && entries[0].contains(#""ip": {"after": "10.1.0.1"}"#))
            #expect(entries[0].contains(#""tags": {"after": ["core", "l3"]}"#))
            #expect(
                entries[1]
                    == #"update {"ip": {"after": "10.1.0.2", "before": "10.1.0.1"}, "vendor": {"after": null, "before": "Cisco"}, "location": {"after": "rack 4", "before": null}}"#
            )
            #expect(entries[2] == #"update {"branch": {"after": "batumi-1", "before": "tbilisi-1"}}"#)
            #expect(entries[3].hasPrefix("delete ") && entries[3].contains(#""name": {"before": "core-sw"}"#))
            #expect(
                try await db.strings("SELECT DISTINCT actor || ' ' || source || ' ' || entity_id FROM audit_log") == [
                    "nino test \(created.id.uuidString.lowercased())"
                ])
        }
    }

    @Test("bulk enable and disable: one audit entry per device changed; an unknown id changes nothing")
    func bulkEnabled() async throws {
        try await TestDatabase.withMigrated { db, _ in
            var ids: [UUID] = []
            for number in 1...4 {
                let draft = DeviceDraft(name: "d\(number)", ip: "10.0.0.\(number)", enabled: number != 4)
                ids.append(try await inventory.create(draft, by: Self.actor, on: db).id)
            }
            #expect(try await inventory.setEnabled(ids, enabled: false, by: Self.actor, on: db) == 3)
            #expect(try await db.integer("SELECT count(*) FROM standalone_devices WHERE enabled") == 0)
            #expect(try await inventory.setEnabled(ids, enabled: false, by: Self.actor, on: db) == 0)
            await #expect(throws: DeviceNotFoundError.self) {
                try await inventory.setEnabled([ids[0], UUID()], enabled: true, by: Self.actor, on: db)
            }
            #expect(try await db.integer("SELECT count(*) FROM standalone_devices WHERE enabled") == 0)
            #expect(try await inventory.setEnabled([ids[0], ids[1]], enabled: true, by: Self.actor, on: db) == 2)
            let updates = try await Self.audit(db).filter { $0.hasPrefix("update ") }
            #expect(
                updates == Array(repeating: #"update {"enabled": {"after": false, "before": true}}"#, count: 3)
                    + Array(repeating: #"update {"enabled": {"after": true, "before": false}}"#, count: 2))
        }
    }

    @Test("each refused value names its field, and nothing is written")
    func validation() async throws {
        try await TestDatabase.withMigrated { db, _ in
            try await Self.addBranches(db)
            func refusedField(_ draft: DeviceDraft) async -> String? {
                do {
                    _ = try await inventory.create(draft, by: Self.actor, on: db)
                    return nil
                } catch let error as InputError {
                    return error.field
                } catch {
                    return "\(error)"
                }
            }
            let good = DeviceDraft(name: "ok", ip: "10.0.0.1")
            var cases: [(DeviceDraft, String)] = []
            func variant(_ field: String, _ change: (inout DeviceDraft) -> Void) {
                var draft = good
                change(&draft)
                cases.append((draft, field))
            }
            variant("name") { $0.name = "" }
            variant("name") { $0.name = "   " }
            variant("name") { $0.name = String(repeating: "n", count: 201) }
            variant("name") { $0.name = "a\u{0}b" }
            variant("ip") { $0.ip = "10.0.0.256" }
            variant("ip") { $0.ip = "router.example" }
            variant("ip") { $0.ip = "fe80::1%eth0" }
            variant("hostname") { $0.hostname = String(repeating: "h", count: 256) }
            variant("vendor") { $0.vendor = String(repeating: "v", count: 101) }
            variant("device_type") { $0.deviceType = String(repeating: "t", count: 101) }
            variant("device_subtype") { $0.deviceSubtype = String(repeating: "s", count: 101) }
            variant("model") { $0.model = String(repeating: "m", count: 101) }
            variant("location") { $0.location = String(repeating: "l", count: 201) }
            variant("floor_info") { $0.floorInfo = String(repeating: "f", count: 51) }
            variant("ssh_username") { $0.sshUsername = String(repeating: "u", count: 101) }
            variant("description") { $0.description = String(repeating: "d", count: 10_001) }
            variant("ssh_port") { $0.sshPort = 0 }
            variant("ssh_port") { $0.sshPort = 65536 }
            variant("unit_number") { $0.unitNumber = -1 }
            variant("tags") { $0.tags = (0...50).map { "t\($0)" } }
            variant("tags") { $0.tags = [String(repeating: "t", count: 101)] }
            variant("tags") { $0.tags = ["a;b"] }
            variant("branch") { $0.branch = "nowhere" }
            for (draft, field) in cases {
                #expect(await refusedField(draft) == field, "\(draft)")
            }
            #expect(try await db.integer("SELECT count(*) FROM standalone_devices") == 0)
            #expect(try await db.integer("SELECT count(*) FROM audit_log") == 0)

            // Limits are inclusive; duplicate IPs across branches are legal.
            var longest = good
            longest.name = String(repeating: "ნ", count: 200)
            longest.ip = "2001:db8:0:0:0:0:0:1"
            longest.branch = "tbilisi-1"
            #expect(await refusedField(longest) == nil)
            longest.branch = "batumi-1"
            #expect(await refusedField(longest) == nil)

            var patch = DevicePatch()
            patch.sshPort = 70000
            await #expect(throws: InputError(field: "ssh_port", reason: "must be 1 to 65535, not 70000")) {
                try await inventory.update(id: UUID(), patch, by: Self.actor, on: db)
            }
            await #expect(throws: DeviceNotFoundError.self) {
                try await inventory.update(id: UUID(), DevicePatch(), by: Self.actor, on: db)
            }
            await #expect(throws: DeviceNotFoundError.self) {
                try await inventory.delete(id: UUID(), by: Self.actor, on: db)
            }
        }
    }

    @Test("a change reaches the branch's agents as a configuration notice")
    func notifiesConfiguration() async throws {
        try await TestDatabase.withMigrated { db, database in
            try await Self.addBranches(db)
            let branch = try #require(
                UUID(uuidString: try await db.strings("SELECT id::text FROM branches WHERE name = 'tbilisi-1'")[0]))
            let listener = try await database.connect()
            try await listener.listen(on: BranchConfigStore.changeChannel) { notifications in
                _ = try await inventory.create(
                    DeviceDraft(name: "r1", ip: "10.0.0.1", branch: "tbilisi-1"), by: Self.actor, on: db)
                var iterator = notifications.makeAsyncIterator()
                let notice = try #require(try await iterator.next())
                #expect(try ConfigChangeNotice(payload: notice.payload) == .branch(branch))
            }
            try await listener.close()
        }
    }
}
