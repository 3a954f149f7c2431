import Foundation
import OutpostStore
import Testing

@Suite("Maintenance windows: when a recurring window is open")
struct MaintenanceOccurrenceTests {
    typealias F = MaintenanceFixture

    static func window(
        startsAt: String, endsAt: String? = nil, schedule: String, duration: Int, endedAt: String? = nil
    ) -> MaintenanceWindowRecord {
        MaintenanceWindowRecord(
            id: UUID(), name: "w", comment: nil, startsAt: F.time(startsAt), endsAt: endsAt.map(F.time),
            schedule: schedule, durationSeconds: duration, createdBy: nil, createdAt: F.time(startsAt),
            endedAt: endedAt.map(F.time), targets: .init())
    }

    @Test("openings longer than the schedule's period overlap: open without a gap, each from its own match")
    func overlapping() {
        let window = Self.window(startsAt: "2026-03-10T00:00:00Z", schedule: "*/30 * * * *", duration: 2_700)
        #expect(
            window.occurrence(at: F.time("2026-03-10T00:50:00Z"))
                == DateInterval(start: F.time("2026-03-10T00:30:00Z"), end: F.time("2026-03-10T01:15:00Z")))
        #expect(window.isActive(at: F.time("2026-03-10T00:00:00Z")))
        #expect(!window.isActive(at: F.time("2026-03-09T23:59:59Z")))
    }

    @Test("a match before starts_at does not count, even if its opening would cover starts_at")
    func startsMidOpening() {
        let window = Self.window(startsAt: "2026-03-10T23:00:00Z", schedule: "0 22 * * *", duration: 14_400)
        #expect(!window.isActive(at: F.time("2026-03-10T23:30:00Z")))
        #expect(
            window.occurrence(at: F.time("2026-03-12T01:00:00Z"))
                == DateInterval(start: F.time("2026-03-11T22:00:00Z"), end: F.time("2026-03-12T02:00:00Z")))
    }

    @Test("an opening is cut at ended_at; a schedule that does not parse is never open")
    func cutAndBroken() {
        let ended = Self.window(
            startsAt: "2026-03-10T00:00:00Z", schedule: "0 22 * * *", duration: 14_400,
            endedAt: "2026-03-11T00:30:00Z")
        #expect(
            ended.occurrence(at: F.time("2026-03-11T00:00:00Z"))
                == DateInterval(start: F.time("2026-03-10T22:00:00Z"), end: F.time("2026-03-11T00:30:00Z")))
        let broken = Self.window(startsAt: "2026-03-10T00:00:00Z", schedule: "every night", duration: 14_400)
        #expect(!broken.isActive(at: F.time("2026-03-10T23:00:00Z")))
    }
}
