import Foundation
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostStore

@Suite("Availability reports", .tags(.postgres), .needsPostgres)
struct AvailabilityReportTests {
    static let store = ReportStore(logger: TestDatabase.logger)
    typealias F = ReportMonthFixture

    /// Up and down seconds per device name from the raw rounds, by the test's own reckoning: each
    /// minute's seconds outside maintenance split by its share of reachable rounds.
    static func direct(_ db: PostgresConnection) async throws -> [String: (up: Double, down: Double)] {
        let rows = try await db.strings(
            """
            SELECT d.name || ' ' || extract(epoch FROM r.timestamp)::bigint || ' ' || r.is_reachable
            FROM ping_results r JOIN standalone_devices d ON d.id = r.device_id
            WHERE r.timestamp >= '2026-11-01T00:00:00Z' AND r.timestamp < '2026-12-01T00:00:00Z'
            """)
        var minutes: [String: [Int: (reachable: Int, rounds: Int)]] = [:]
        for row in rows {
            let parts = row.split(separator: " ")
            let minute = Int(parts[1])! / 60 * 60
            var counts = minutes[String(parts[0]), default: [:]][minute] ?? (0, 0)
            counts.rounds += 1
            if parts[2] == "true" { counts.reachable += 1 }
            minutes[String(parts[0]), default: [:]][minute] = counts
        }
        var result: [String: (up: Double, down: Double)] = [:]
        for (name, byMinute) in minutes {
            var up = 0.0
            var down = 0.0
            for (minute, counts) in byMinute {
                let span = DateInterval(start: Date(timeIntervalSince1970: Double(minute)), duration: 60)
                let inMaintenance = F.maintenance(name).compactMap { $0.intersection(with: span)?.duration }.reduce(
                    0, +)
                let outside = 60 - inMaintenance
                up += outside * Double(counts.reachable) / Double(counts.rounds)
                down += outside * Double(counts.rounds - counts.reachable) / Double(counts.rounds)
            }
            result[name] = (up, down)
        }
        return result
    }

    @Test("a seeded month: availability equals the raw rows' less maintenance; outages, MTTR, MTBF, scope")
    func seededMonth() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let fixture = try await F.seed(on: db)
            try await Self.availability(db)
            try await Self.outages(db, fixture)
            try await Self.scopeAndShortRanges(db)
            try await Self.listings(db)
        }
    }

    /// Per device and per group, against the test's own reckoning from the raw rows.
    static func availability(_ db: PostgresConnection) async throws {
        let expected = try await Self.direct(db)
        let report = try await Self.store.availability(F.month, by: .device, regions: nil, outages: .omitted, on: db)
        #expect(report.rows.map(\.name) == ["a", "b", "c", "d"])
        #expect(report.outages.isEmpty)
        for row in report.rows {
            let want = try #require(expected[row.name])
            #expect(abs(row.upSeconds - want.up) < 0.01, "\(row.name) up \(row.upSeconds) vs \(want.up)")
            #expect(abs(row.downSeconds - want.down) < 0.01, "\(row.name) down \(row.downSeconds) vs \(want.down)")
        }
        // b is down only inside its maintenance: fully available, no outage counted.
        let b = try #require(report.rows.first { $0.name == "b" })
        #expect(b.availabilityPercent == 100)
        #expect(b.outages == 0)
        // d was added mid-month: only its monitored half counts.
        let d = try #require(report.rows.first { $0.name == "d" })
        #expect(d.monitoredSeconds < 16 * 86_400)
        // c's down hour during the agent's absence arrived late and still counts.
        let c = try #require(report.rows.first { $0.name == "c" })
        #expect(c.downSeconds >= 6 * 60)

        let byRegion = try await Self.store.availability(F.month, by: .region, regions: nil, outages: .omitted, on: db)
        #expect(byRegion.rows.map(\.key) == ["Adjara", "Tbilisi"])
        let adjara = byRegion.rows[0]
        let wantUp = expected["c"]!.up + expected["d"]!.up
        let wantDown = expected["c"]!.down + expected["d"]!.down
        #expect(abs(adjara.availabilityPercent! - 100 * wantUp / (wantUp + wantDown)) < 1e-6)
        #expect(adjara.devices == 2)
        let byType = try await Self.store.availability(F.month, by: .type, regions: nil, outages: .omitted, on: db)
        #expect(byType.rows.map(\.key) == ["router", "switch"])
        let byBranch = try await Self.store.availability(F.month, by: .branch, regions: nil, outages: .omitted, on: db)
        #expect(byBranch.rows.map(\.name) == ["Batumi", "Tbilisi HQ"])
    }

    /// Expected from the fixture's down periods: the first failed round's minute to the end of
    /// the last failed round's minute.
    static func outages(_ db: PostgresConnection, _ fixture: F) async throws {
        let report = try await Self.store.availability(F.month, by: .device, regions: nil, outages: .all, on: db)
        var expected: [(UUID, Date, Date, Bool)] = []
        for (name, id) in [("a", fixture.a), ("b", fixture.b), ("c", fixture.c), ("d", fixture.d)] {
            for down in F.downs(name) {
                let end = down.end.addingTimeInterval(-F.step + 60)
                let inMaintenance = F.maintenance(name).contains { $0.start <= down.start && down.start < $0.end }
                expected.append((id, down.start, end, inMaintenance))
            }
        }
        expected.sort { $0.1 < $1.1 }
        #expect(report.outages.count == expected.count)
        for (outage, want) in zip(report.outages, expected) {
            #expect(outage.deviceID == want.0)
            #expect(outage.start == want.1)
            #expect(outage.end == want.2)
            #expect(outage.inMaintenance == want.3, "\(outage.deviceName) at \(outage.start)")
        }
        let a = try #require(report.outages.first { $0.deviceID == fixture.a })
        #expect(a.alerts.map(\.ruleName) == ["down"])
        #expect(a.durationSeconds == 2 * 3_600 - F.step + 60)
        let rowA = try #require(report.rows.first { $0.name == "a" })
        #expect(rowA.outages == 1)
        #expect(rowA.mttrSeconds == a.durationSeconds)
        #expect(rowA.mtbfSeconds == rowA.upSeconds)
        #expect(report.rows.first { $0.name == "c" }?.outages == 1)
        #expect(report.rows.first { $0.name == "d" }?.outages == 1)
    }

    /// A regional manager's regions; a range of an hour in the one-off window's end.
    static func scopeAndShortRanges(_ db: PostgresConnection) async throws {
        let scoped = try await Self.store.availability(F.month, by: .device, regions: ["Adjara"], outages: .all, on: db)
        #expect(scoped.rows.map(\.name) == ["c", "d"])
        let every = try await Self.store.availability(F.month, by: .device, regions: nil, outages: .all, on: db)
        #expect(scoped.outages == every.outages.filter { $0.region == "Adjara" })
        #expect(!scoped.outages.isEmpty)
        #expect(scoped.outages.allSatisfy { $0.region == "Adjara" })
        // 20 Nov 09:10–10:10, in maintenance until 09:45: the rounds of 09:50 and 10:00 count;
        // c is down then (since 09:30), d up again (since 09:20).
        let short = try ReportWindow(from: F.time("2026-11-20T09:10:00Z"), to: F.time("2026-11-20T10:10:00Z"))
        let report = try await Self.store.availability(
            short, by: .device, regions: ["Adjara"], outages: .omitted, on: db)
        let c = try #require(report.rows.first { $0.name == "c" })
        #expect(c.upSeconds == 0)
        #expect(c.downSeconds == 120)
        let d = try #require(report.rows.first { $0.name == "d" })
        #expect(d.upSeconds == 120)
        #expect(d.downSeconds == 0)
    }

    /// The figures do not depend on the list; a row's list is the full list's outages of that row.
    static func listings(_ db: PostgresConnection) async throws {
        for grouping in ReportGrouping.allCases {
            let bare = try await Self.store.availability(F.month, by: grouping, regions: nil, outages: .omitted, on: db)
            let full = try await Self.store.availability(F.month, by: grouping, regions: nil, outages: .all, on: db)
            #expect(bare.rows == full.rows, "\(grouping)")
            #expect(bare.outages.isEmpty)
            #expect(full.rows.reduce(0) { $0 + $1.outages } == full.outages.filter { !$0.inMaintenance }.count)
            for row in full.rows {
                let one = try await Self.store.availability(
                    F.month, by: grouping, regions: nil, outages: .group(row.key), on: db)
                #expect(one.rows == full.rows)
                #expect(one.outages == full.outages.filter { $0.group == row.key }, "\(grouping) \(row.key)")
                let counted = one.outages.filter { !$0.inMaintenance }
                #expect(row.outages == counted.count, "\(grouping) \(row.key)")
                #expect(abs(row.outageSeconds - counted.reduce(0) { $0 + $1.durationSeconds }) < 1e-6)
            }
        }
        let nobody = try await Self.store.availability(
            F.month, by: .region, regions: nil, outages: .group("Mars"), on: db)
        #expect(nobody.outages.isEmpty)
    }

    @Test("ranges and groupings are validated")
    func validation() throws {
        let day = F.time("2026-11-01T00:00:00Z")
        #expect(throws: InputError(field: "from", reason: "must be before to")) {
            try ReportWindow(from: day, to: day)
        }
        #expect(throws: InputError.self) { try ReportWindow(from: day, to: day.addingTimeInterval(400 * 86_400)) }
        #expect(throws: InputError.self) { try ReportWindow(from: Date(timeIntervalSince1970: 0), to: day) }
        #expect(throws: InputError.self) { try ReportGrouping(parsing: "site") }
        #expect(try ReportGrouping(parsing: "type") == .type)
        #expect(ReportWindow.previousMonth(before: F.time("2026-12-06T21:00:00Z")) == F.month)
    }
}
