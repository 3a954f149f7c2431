import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@Suite("Maintenance windows: which devices are in one", .tags(.postgres), .needsPostgres)
struct MaintenanceActiveDevicesTests {
    typealias F = MaintenanceFixture

    static func create(_ draft: MaintenanceWindowDraft, on db: PostgresConnection) async throws -> UUID {
        try await F.store.create(draft, by: F.actor, on: db).id
    }

    static func active(_ time: String, on db: PostgresConnection) async throws -> [UUID: UUID] {
        try await F.store.activeDevices(at: F.time(time), on: db)
    }

    @Test("one-off: from starts_at (included) to ends_at (excluded)")
    func oneOff() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let fleet = try await F.fleet(db)
            let window = try await Self.create(
                MaintenanceWindowDraft(
                    name: "swap", startsAt: F.time("2026-03-10T22:00:00Z"), endsAt: F.time("2026-03-11T01:00:00Z"),
                    deviceIDs: [fleet.t1]), on: db)
            #expect(try await Self.active("2026-03-10T21:59:59Z", on: db).isEmpty)
            #expect(try await Self.active("2026-03-10T22:00:00Z", on: db) == [fleet.t1: window])
            #expect(try await Self.active("2026-03-11T00:59:59.500Z", on: db) == [fleet.t1: window])
            #expect(try await Self.active("2026-03-11T01:00:00Z", on: db).isEmpty)
        }
    }

    @Test("recurring every day at 22:00 for 4 h: open across midnight, closed in the afternoon, stops at ends_at")
    func recurringAcrossMidnight() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let fleet = try await F.fleet(db)
            let window = try await Self.create(
                MaintenanceWindowDraft(
                    name: "nightly", startsAt: F.time("2026-03-10T00:00:00Z"), endsAt: F.time("2026-03-12T23:00:00Z"),
                    schedule: "0 22 * * *", durationSeconds: 4 * 3_600, deviceIDs: [fleet.b1]), on: db)
            let open: [UUID: UUID] = [fleet.b1: window]
            #expect(try await Self.active("2026-03-10T21:59:59Z", on: db).isEmpty)
            #expect(try await Self.active("2026-03-10T22:00:00Z", on: db) == open)
            #expect(try await Self.active("2026-03-10T23:59:59Z", on: db) == open)
            #expect(try await Self.active("2026-03-11T00:00:00Z", on: db) == open)
            #expect(try await Self.active("2026-03-11T01:59:59Z", on: db) == open)
            #expect(try await Self.active("2026-03-11T02:00:00Z", on: db).isEmpty)
            #expect(try await Self.active("2026-03-11T15:00:00Z", on: db).isEmpty)
            #expect(try await Self.active("2026-03-11T22:30:00Z", on: db) == open)
            // The series stops at ends_at: the opening of the 12th is cut at 23:00.
            #expect(try await Self.active("2026-03-12T22:59:00Z", on: db) == open)
            #expect(try await Self.active("2026-03-12T23:00:00Z", on: db).isEmpty)
            #expect(try await Self.active("2026-03-13T01:00:00Z", on: db).isEmpty)
            // Before starts_at, the schedule's matches do not count.
            #expect(try await Self.active("2026-03-09T23:00:00Z", on: db).isEmpty)
        }
    }

    @Test("recurring on Fridays at 23:30 for 2 h: open early Saturday, not early Friday")
    func weeklyAcrossMidnight() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let fleet = try await F.fleet(db)
            // 2026-03-13 is a Friday.
            let window = try await Self.create(
                MaintenanceWindowDraft(
                    name: "weekly", startsAt: F.time("2026-03-01T00:00:00Z"), schedule: "30 23 * * 5",
                    durationSeconds: 7_200, deviceIDs: [fleet.t2]), on: db)
            #expect(try await Self.active("2026-03-13T01:00:00Z", on: db).isEmpty)
            #expect(try await Self.active("2026-03-13T23:29:00Z", on: db).isEmpty)
            #expect(try await Self.active("2026-03-13T23:30:00Z", on: db) == [fleet.t2: window])
            #expect(try await Self.active("2026-03-14T01:29:59Z", on: db) == [fleet.t2: window])
            #expect(try await Self.active("2026-03-14T01:30:00Z", on: db).isEmpty)
            #expect(try await Self.active("2026-03-21T00:15:00Z", on: db) == [fleet.t2: window])
        }
    }

    @Test("a branch target covers the branch's devices, a region target its branches' devices, no other")
    func branchAndRegionExpansion() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let fleet = try await F.fleet(db)
            let start = F.time("2026-03-10T10:00:00Z")
            let byBranch = try await Self.create(
                MaintenanceWindowDraft(
                    name: "tbilisi", startsAt: start, endsAt: start.addingTimeInterval(3_600),
                    branchNames: ["tbilisi"]), on: db)
            let byRegion = try await Self.create(
                MaintenanceWindowDraft(
                    name: "adjara", startsAt: start.addingTimeInterval(1_800), endsAt: start.addingTimeInterval(7_200),
                    regions: ["Adjara"]), on: db)
            #expect(
                try await Self.active("2026-03-10T10:10:00Z", on: db) == [fleet.t1: byBranch, fleet.t2: byBranch])
            #expect(
                try await Self.active("2026-03-10T10:45:00Z", on: db) == [
                    fleet.t1: byBranch, fleet.t2: byBranch, fleet.b1: byRegion,
                ])
            #expect(try await Self.active("2026-03-10T11:30:00Z", on: db) == [fleet.b1: byRegion])
            // A device added to the branch later is covered too (targets expand when read).
            let branch = try await db.strings("SELECT id::text FROM branches WHERE name = 'tbilisi'")[0]
            let t3 = try await Fixture.device("t3", ip: "10.1.0.3", branch: UUID(uuidString: branch), on: db)
            #expect(try await Self.active("2026-03-10T10:10:00Z", on: db)[t3] == byBranch)
            #expect(try await Self.active("2026-03-10T10:10:00Z", on: db)[fleet.lone] == nil)
        }
    }

    @Test("a window ended by hand covers nobody from its end on; one ended before it opens never does")
    func endedWindow() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let fleet = try await F.fleet(db)
            let start = F.time("2026-03-10T22:00:00Z")
            let recurring = try await Self.create(
                MaintenanceWindowDraft(
                    name: "nightly", startsAt: start, schedule: "0 22 * * *", durationSeconds: 14_400,
                    deviceIDs: [fleet.t1]), on: db)
            let future = try await Self.create(
                MaintenanceWindowDraft(
                    name: "later", startsAt: F.time("2026-03-20T00:00:00Z"), endsAt: F.time("2026-03-20T02:00:00Z"),
                    deviceIDs: [fleet.b1]), on: db)
            _ = try await F.store.end(id: recurring, by: F.actor, at: F.time("2026-03-10T23:00:00Z"), on: db)
            _ = try await F.store.end(id: future, by: F.actor, at: F.time("2026-03-15T00:00:00Z"), on: db)
            #expect(try await Self.active("2026-03-10T22:59:59Z", on: db) == [fleet.t1: recurring])
            #expect(try await Self.active("2026-03-10T23:00:00Z", on: db).isEmpty)
            #expect(try await Self.active("2026-03-11T22:30:00Z", on: db).isEmpty)
            #expect(try await Self.active("2026-03-20T01:00:00Z", on: db).isEmpty)
        }
    }
}
