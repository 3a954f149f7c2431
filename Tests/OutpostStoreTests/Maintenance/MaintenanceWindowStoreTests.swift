import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@Suite("Maintenance windows: create, list, end, audit", .tags(.postgres), .needsPostgres)
struct MaintenanceWindowStoreTests {
    typealias F = MaintenanceFixture

    @Test("create stores the window, its targets and an audit entry; list, window(id:) and end read it back")
    func lifecycle() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let fleet = try await F.fleet(db)
            try await db.execute(
                "INSERT INTO users (username, email, hashed_password) VALUES ('nino', 'nino@example.com', 'x')")
            let userID = Int32(try await db.integer("SELECT id FROM users WHERE username = 'nino'"))
            let start = F.time("2026-03-10T22:00:00Z")
            let draft = MaintenanceWindowDraft(
                name: " core upgrade ", comment: "CHG-42", startsAt: start, endsAt: start.addingTimeInterval(7_200),
                deviceIDs: [fleet.lone, fleet.lone], branchNames: ["batumi"], regions: ["Tbilisi"],
                createdBy: userID)
            let created = try await F.store.create(draft, by: F.actor, on: db)
            #expect(created.name == "core upgrade")
            #expect(created.comment == "CHG-42")
            #expect(created.startsAt == start && created.endsAt == start.addingTimeInterval(7_200))
            #expect(created.schedule == nil && created.durationSeconds == nil && created.endedAt == nil)
            #expect(created.createdBy == "nino")
            #expect(created.targets.devices == [.init(id: fleet.lone, name: "lone")])
            #expect(created.targets.branchNames == ["batumi"] && created.targets.regions == ["Tbilisi"])
            #expect(created.isActive(at: start) && !created.isActive(at: start.addingTimeInterval(7_200)))
            #expect(try await F.store.window(id: created.id, on: db) == created)
            #expect(try await F.store.window(id: UUID(), on: db) == nil)
            #expect(
                try await db.strings(
                    """
                    SELECT actor || '|' || action || '|' || entity || '|' || entity_id || '|' ||
                           (changes->'name'->>'after') || '|' || (changes->'device_ids'->'after'->>0)
                    FROM audit_log
                    """) == [
                        "cli:test|create|maintenance_window|\(created.id.uuidString.lowercased())|core upgrade|"
                            + fleet.lone.uuidString.lowercased()
                    ])

            let before = start.addingTimeInterval(-60)
            #expect(try await F.store.list(includeEnded: false, now: before, on: db).map(\.id) == [created.id])
            let ended = try await F.store.end(id: created.id, by: F.actor, at: start.addingTimeInterval(600), on: db)
            #expect(ended.endedAt == start.addingTimeInterval(600))
            #expect(
                ended.isActive(at: start.addingTimeInterval(599)) && !ended.isActive(at: start.addingTimeInterval(600)))
            #expect(
                try await db.strings(
                    "SELECT action || '|' || COALESCE(changes->'ended_at'->>'after', '-') FROM audit_log ORDER BY id")
                    == ["create|-", "end|2026-03-10T22:10:00Z"])
            // Over once ended: listed only with includeEnded.
            let later = start.addingTimeInterval(900)
            #expect(try await F.store.list(includeEnded: false, now: later, on: db).isEmpty)
            #expect(try await F.store.list(includeEnded: true, now: later, on: db).map(\.id) == [created.id])

            let again = await #expect(throws: InputError.self) {
                try await F.store.end(id: created.id, by: F.actor, at: later, on: db)
            }
            #expect(again?.field == "ended_at")
            await #expect(throws: MaintenanceWindowNotFound.self) {
                try await F.store.end(id: UUID(), by: F.actor, at: later, on: db)
            }
            #expect(try await db.integer("SELECT count(*) FROM audit_log") == 2)
        }
    }

    @Test("create and end notify the engine's channel when they commit")
    func announces() async throws {
        try await TestDatabase.withMigrated { db, database in
            let fleet = try await F.fleet(db)
            let listener = try await database.connect()
            let start = Date()
            let (id, payloads) = try await listener.listen(on: MaintenanceWindowStore.changeChannel) {
                notifications in
                var iterator = notifications.makeAsyncIterator()
                let record = try await F.store.create(
                    MaintenanceWindowDraft(
                        name: "now", startsAt: start, endsAt: start.addingTimeInterval(600), deviceIDs: [fleet.t1]),
                    by: F.actor, on: db)
                let created = try await iterator.next()?.payload
                _ = try await F.store.end(id: record.id, by: F.actor, at: start.addingTimeInterval(60), on: db)
                let ended = try await iterator.next()?.payload
                return (record.id.uuidString.lowercased(), [created, ended])
            }
            try await listener.close()
            #expect(payloads == [id, id])
        }
    }
}
