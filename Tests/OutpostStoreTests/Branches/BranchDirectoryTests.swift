import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@Suite("Branch directory: geography, validation, audit, deletion", .tags(.postgres), .needsPostgres)
struct BranchDirectoryTests {
    static let actor = AuditActor(name: "nino", source: "http 192.0.2.7")
    let directory = BranchDirectory(logger: TestDatabase.logger)

    /// A draft of a branch in Batumi.
    static func batumi(_ name: String = "batumi-1") -> BranchDraft {
        var draft = BranchDraft(name: name)
        draft.displayName = "Batumi 1"
        draft.displayNameKa = "ბათუმი 1"
        draft.city = "Batumi"
        draft.address = "Rustaveli 1"
        draft.branchCode = "BTM1"
        return draft
    }

    @Test("a branch in a town takes the town's region and coordinates; the creation is audited")
    func createInTown() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let branch = try await directory.create(Self.batumi(), by: Self.actor, on: db)
            #expect(branch.region == "Adjara")
            #expect(branch.city == "Batumi")
            #expect(branch.latitude == 41.6418 && branch.longitude == 41.6336)
            #expect(branch.displayNameKa == "ბათუმი 1" && branch.branchCode == "BTM1" && branch.isActive)
            #expect(try await directory.branch(name: "batumi-1", on: db) == branch)
            #expect(try await directory.branch(id: branch.id, on: db) == branch)
            #expect(
                try await db.strings(
                    """
                    SELECT actor || ' ' || action || ' ' || entity_id || ' ' || (changes->'city'->>'after')
                           || ' ' || (changes->'region'->>'after') || ' ' || (changes->'city' ? 'before')::text
                    FROM audit_log WHERE entity = 'branch'
                    """) == ["nino create \(branch.id.uuidString.lowercased()) Batumi Adjara false"])
        }
    }

    @Test("every refused field is named, and nothing is written")
    func validation() async throws {
        try await TestDatabase.withMigrated { db, _ in
            _ = try await directory.create(Self.batumi("taken"), by: Self.actor, on: db)
            let cases: [(String, (inout BranchDraft) -> Void)] = [
                ("name", { $0.name = "" }),
                ("name", { $0.name = String(repeating: "n", count: 65) }),
                ("name", { $0.name = "bad\u{7}name" }),
                ("name", { $0.name = "taken" }),
                ("display_name", { $0.displayName = String(repeating: "d", count: 201) }),
                ("display_name_ka", { $0.displayNameKa = String(repeating: "ქ", count: 201) }),
                ("region", { $0.region = "Atlantis" }),
                ("city", { $0.city = "Atlantis" }),
                ("city", { $0.region = "Kakheti" }),  // Batumi is in Adjara
                ("branch_code", { $0.branchCode = "ABCDEFGHIJK" }),
                ("address", { $0.address = String(repeating: "a", count: 501) }),
                (
                    "latitude",
                    {
                        $0.latitude = 90.5
                        $0.longitude = 44
                    }
                ),
                (
                    "longitude",
                    {
                        $0.latitude = 41
                        $0.longitude = -181
                    }
                ),
                ("longitude", { $0.latitude = 41 }),
                ("latitude", { $0.longitude = 44 }),
                (
                    "latitude",
                    {
                        $0.latitude = .nan
                        $0.longitude = 44
                    }
                ),
                ("gateway_device_id", { $0.gatewayDeviceID = UUID() }),
            ]
            for (field, change) in cases {
                var draft = Self.batumi("fresh")
                change(&draft)
                do {
                    _ = try await directory.create(draft, by: Self.actor, on: db)
                    Issue.record("accepted a draft with a bad \(field)")
                } catch let error as InputError {
                    #expect(error.field == field, "\(error)")
                    #expect("\(error)".hasPrefix("\(field): "))
                }
            }
            #expect(try await db.strings("SELECT name FROM branches") == ["taken"])
            #expect(try await db.integer("SELECT count(*) FROM audit_log") == 1)
        }
    }

    @Test("updates: own coordinates, town moves, gateway of the branch only, audited with before and after")
    func update() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let branch = try await directory.create(Self.batumi(), by: Self.actor, on: db)
            let other = try await directory.create(BranchDraft(name: "other"), by: Self.actor, on: db)
            try await db.query(
                """
                INSERT INTO standalone_devices (name, ip, branch_id) VALUES
                    ('edge', '10.0.0.1', \(branch.id)), ('stranger', '10.0.1.1', \(other.id))
                """, logger: TestDatabase.logger)
            let edge = UUID(
                uuidString: try await db.strings("SELECT id::text FROM standalone_devices WHERE name = 'edge'")[0])!
            let stranger = UUID(
                uuidString: try await db.strings("SELECT id::text FROM standalone_devices WHERE name = 'stranger'")[0])!

            var patch = BranchPatch()
            patch.latitude = .some(41.65)
            patch.longitude = .some(41.64)
            patch.displayNameKa = .some(nil)
            patch.gatewayDeviceID = .some(edge)
            let moved = try await directory.update(id: branch.id, patch, by: Self.actor, on: db)
            #expect(moved.latitude == 41.65 && moved.longitude == 41.64 && moved.displayNameKa == nil)
            #expect(moved.gatewayDeviceID == edge && moved.gatewayDeviceName == "edge" && moved.deviceCount == 1)
            #expect(moved.updatedAt != nil)
            #expect(
                try await db.strings(
                    """
                    SELECT (changes->'display_name_ka'->>'before') || ' -> ' || (changes->'display_name_ka'->'after')::text
                           || ', ' || (changes->'latitude'->'before')::text || ' -> ' || (changes->'latitude'->>'after')
                    FROM audit_log WHERE entity = 'branch' AND action = 'update'
                    """) == ["ბათუმი 1 -> null, null -> 41.65"])

            var town = BranchPatch()
            town.city = .some("Kutaisi")
            let kutaisi = try await directory.update(id: branch.id, town, by: Self.actor, on: db)
            #expect(kutaisi.region == "Imereti" && kutaisi.city == "Kutaisi")
            #expect(kutaisi.latitude == 41.65, "the branch's own position still wins")

            func changing(_ change: (inout BranchPatch) -> Void) -> BranchPatch {
                var changes = BranchPatch()
                change(&changes)
                return changes
            }
            let refusals: [(String, BranchPatch)] = [
                ("gateway_device_id", changing { $0.gatewayDeviceID = .some(stranger) }),
                ("region", changing { $0.region = .some("Adjara") }),
                ("region", changing { $0.region = .some(nil) }),
                ("latitude", changing { $0.latitude = .some(nil) }),
                ("name", changing { $0.name = "other" }),
                (
                    "city",
                    changing {
                        $0.city = .some("Batumi")
                        $0.region = .some("Imereti")
                    }
                ),
            ]
            for (field, patch) in refusals {
                do {
                    _ = try await directory.update(id: branch.id, patch, by: Self.actor, on: db)
                    Issue.record("accepted a patch with a bad \(field)")
                } catch let error as InputError {
                    #expect(error.field == field, "\(error)")
                }
            }
            #expect(try await directory.branch(id: branch.id, on: db) == kutaisi, "refused patches change nothing")

            let audited = try await db.integer("SELECT count(*) FROM audit_log")
            _ = try await directory.update(id: branch.id, BranchPatch(), by: Self.actor, on: db)
            #expect(try await db.integer("SELECT count(*) FROM audit_log") == audited, "an empty patch is not audited")
            #expect(try await directory.branch(id: branch.id, on: db)?.updatedAt == kutaisi.updatedAt)

            let unknown = UUID()
            await #expect(throws: BranchDirectoryError.notFound(unknown)) {
                try await directory.update(id: unknown, BranchPatch(), by: Self.actor, on: db)
            }
        }
    }

    @Test("deletion is refused while agents are enrolled; afterwards devices stay, without branch")
    func delete() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let branch = try await directory.create(Self.batumi(), by: Self.actor, on: db)
            try await db.query(
                """
                INSERT INTO standalone_devices (name, ip, branch_id) VALUES ('edge', '10.0.0.1', \(branch.id));
                """, logger: TestDatabase.logger)
            try await db.query(
                """
                INSERT INTO agents (id, branch_id, public_key, cert_serial, cert_not_after)
                VALUES (gen_random_uuid(), \(branch.id), '\\x04'::bytea, 'ab12', now() + interval '1 day')
                """, logger: TestDatabase.logger)
            await #expect(throws: BranchDirectoryError.agentsEnrolled(branch: "batumi-1", count: 1)) {
                try await directory.delete(id: branch.id, by: Self.actor, on: db)
            }
            #expect(try await directory.branch(id: branch.id, on: db) != nil)

            try await db.execute("DELETE FROM agents")
            try await directory.delete(id: branch.id, by: Self.actor, on: db)
            #expect(try await directory.branch(id: branch.id, on: db) == nil)
            #expect(try await db.strings("SELECT name FROM standalone_devices WHERE branch_id IS NULL") == ["edge"])
            #expect(
                try await db.strings(
                    """
                    SELECT (changes->'name'->>'before') || ' ' || (changes->'name' ? 'after')::text
                    FROM audit_log WHERE action = 'delete' AND entity = 'branch'
                    """) == ["batumi-1 false"])
            await #expect(throws: BranchDirectoryError.notFound(branch.id)) {
                try await directory.delete(id: branch.id, by: Self.actor, on: db)
            }
        }
    }

    @Test("lists all branches, or only those of the given regions")
    func regionScoping() async throws {
        try await TestDatabase.withMigrated { db, _ in
            for (name, city) in [("b-tbilisi", "Tbilisi"), ("a-batumi", "Batumi"), ("c-kutaisi", "Kutaisi")] {
                var draft = BranchDraft(name: name)
                draft.city = city
                _ = try await directory.create(draft, by: Self.actor, on: db)
            }
            _ = try await directory.create(BranchDraft(name: "d-nowhere"), by: Self.actor, on: db)
            #expect(
                try await directory.list(regions: nil, on: db).map(\.name) == [
                    "a-batumi", "b-tbilisi", "c-kutaisi", "d-nowhere",
                ])
            #expect(
                try await directory.list(regions: ["Adjara", "Imereti"], on: db).map(\.name) == [
                    "a-batumi", "c-kutaisi",
                ])
            #expect(try await directory.list(regions: [], on: db).isEmpty)
        }
    }
}
