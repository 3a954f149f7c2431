import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@Suite("Maintenance windows: what create refuses", .tags(.postgres), .needsPostgres)
struct MaintenanceWindowValidationTests {
    typealias F = MaintenanceFixture

    /// Each draft is refused naming `field`, and nothing (window, target, audit entry) is written.
    @Test("each invalid field is refused with an error naming it; nothing is written")
    func refusals() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let fleet = try await F.fleet(db)
            let start = F.time("2026-03-10T22:00:00Z")
            let valid = MaintenanceWindowDraft(
                name: "router swap", startsAt: start, endsAt: start.addingTimeInterval(3_600), deviceIDs: [fleet.t1])
            func changed(
                _ base: MaintenanceWindowDraft, _ change: (inout MaintenanceWindowDraft) -> Void
            ) -> MaintenanceWindowDraft {
                var draft = base
                change(&draft)
                return draft
            }
            func with(_ change: (inout MaintenanceWindowDraft) -> Void) -> MaintenanceWindowDraft {
                changed(valid, change)
            }
            let recurring = with {
                $0.schedule = "0 22 * * *"
                $0.durationSeconds = 3_600
                $0.endsAt = nil
            }
            let cases: [(String, MaintenanceWindowDraft)] = [
                ("name", with { $0.name = "  " }),
                ("name", with { $0.name = String(repeating: "x", count: 201) }),
                ("name", with { $0.name = "bad\u{7}name" }),
                ("comment", with { $0.comment = String(repeating: "c", count: 2_001) }),
                ("comment", with { $0.comment = "nul\u{0}byte" }),
                ("starts_at", with { $0.startsAt = Date(timeIntervalSince1970: 300_000_000_000) }),
                ("ends_at", with { $0.endsAt = nil }),
                ("ends_at", with { $0.endsAt = start }),
                ("duration_seconds", with { $0.durationSeconds = 3_600 }),
                ("schedule", changed(recurring) { $0.schedule = "61 * * * *" }),
                ("schedule", changed(recurring) { $0.schedule = "0 22 * *" }),
                ("schedule", changed(recurring) { $0.schedule = "0 0 30 2 *" }),
                (
                    "schedule",
                    changed(recurring) {
                        $0.endsAt = start.addingTimeInterval(60)
                        $0.schedule = "0 3 * * *"
                    }
                ),
                ("duration_seconds", changed(recurring) { $0.durationSeconds = nil }),
                ("duration_seconds", changed(recurring) { $0.durationSeconds = 59 }),
                ("duration_seconds", changed(recurring) { $0.durationSeconds = 604_801 }),
                ("targets", with { $0.deviceIDs = [] }),
                ("device_ids", with { $0.deviceIDs = [fleet.t1, UUID()] }),
                ("branch_names", with { $0.branchNames = ["tbilisi", "nowhere"] }),
                ("branch_names", with { $0.branchNames = [String(repeating: "b", count: 201)] }),
                ("regions", with { $0.regions = ["Atlantis"] }),
                ("created_by", with { $0.createdBy = 9_999 }),
            ]
            for (field, draft) in cases {
                do {
                    _ = try await F.store.create(draft, by: F.actor, on: db)
                    Issue.record("accepted a draft with a bad \(field)")
                } catch let error as InputError {
                    #expect(error.field == field, "\(error)")
                    #expect(error.description == "\(field): \(error.reason)")
                }
            }
            #expect(try await db.integer("SELECT count(*) FROM maintenance_windows") == 0)
            #expect(try await db.integer("SELECT count(*) FROM maintenance_window_targets") == 0)
            #expect(try await db.integer("SELECT count(*) FROM audit_log") == 0)
            // The same drafts made valid are accepted: the refusals above were the field's fault.
            _ = try await F.store.create(valid, by: F.actor, on: db)
            _ = try await F.store.create(recurring, by: F.actor, on: db)
            #expect(try await db.integer("SELECT count(*) FROM maintenance_windows") == 2)
        }
    }

    @Test("a region known only as a Georgian region is accepted; the reason names the missing device")
    func regionsAndReasons() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let fleet = try await F.fleet(db)
            let start = F.time("2026-03-10T22:00:00Z")
            let draft = MaintenanceWindowDraft(
                name: "imereti", startsAt: start, endsAt: start.addingTimeInterval(600), regions: ["Imereti"])
            let record = try await F.store.create(draft, by: F.actor, on: db)
            #expect(record.targets.regions == ["Imereti"])
            let missing = UUID()
            var bad = draft
            bad.deviceIDs = [fleet.t1, missing]
            let error = await #expect(throws: InputError.self) {
                try await F.store.create(bad, by: F.actor, on: db)
            }
            #expect(error?.description == "device_ids: no device \(missing.uuidString.lowercased())")
        }
    }
}
