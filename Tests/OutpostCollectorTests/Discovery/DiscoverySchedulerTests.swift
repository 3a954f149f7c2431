import Foundation
import Logging
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollector

@Suite("Discovery scheduler", .tags(.postgres), .needsPostgres)
struct DiscoverySchedulerTests {
    static let logger = Logger(label: "outpost.test.discovery.scheduler")

    static func minute(_ text: String) -> Date {
        try! Date(text + "Z", strategy: .iso8601)
    }

    @Test("a scheduled rule gets one job per matching minute, however many collectors check it")
    func oneJobPerSlot() async throws {
        try await TestDatabase.withMigrated { db, database in
            let branch = try await Fixture.branch("b-7", displayName: "Branch 7", on: db)
            let store = DiscoveryRuleStore(logger: Self.logger)
            try await store.add(
                DiscoveryRuleRecord(
                    name: "every 5", ranges: ["10.7.0.0/24"], schedule: "*/5 * * * *", snmp: false, branchID: branch),
                by: .commandLine(), on: db)
            try await store.add(
                DiscoveryRuleRecord(
                    name: "disabled", ranges: ["10.8.0.0/24"], schedule: "* * * * *", snmp: false, branchID: branch,
                    enabled: false), by: .commandLine(), on: db)
            try await store.add(
                DiscoveryRuleRecord(name: "on demand", ranges: ["10.9.0.0/24"], snmp: false, branchID: branch),
                by: .commandLine(), on: db)
            let scheduler = DiscoveryScheduler(logger: Self.logger)
            func jobs() async throws -> [String] {
                try await db.strings(
                    """
                    SELECT r.name || ' ' || to_char(j.scheduled_for AT TIME ZONE 'UTC', 'HH24:MI') || ' ' || j.triggered_by
                    FROM discovery_jobs j JOIN discovery_rules r ON r.id = j.rule_id ORDER BY j.scheduled_for
                    """)
            }
            try await scheduler.createDueJobs(now: Self.minute("2026-11-25T12:05:42"), on: db)
            try await scheduler.createDueJobs(now: Self.minute("2026-11-25T12:05:59"), on: db)
            try await scheduler.createDueJobs(now: Self.minute("2026-11-25T12:06:00"), on: db)
            #expect(try await jobs() == ["every 5 12:05 schedule"])

            // Two collectors at the same minute, at once: still one job.
            let other = try await database.connect()
            async let first: Void = scheduler.createDueJobs(now: Self.minute("2026-11-25T12:10:01"), on: db)
            async let second: Void = scheduler.createDueJobs(now: Self.minute("2026-11-25T12:10:02"), on: other)
            _ = try await (first, second)
            try await other.close()
            #expect(try await jobs() == ["every 5 12:05 schedule", "every 5 12:10 schedule"])
        }
    }
}
