import Foundation
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostStore

@Suite("Roll-up partitions and retention", .tags(.postgres), .needsPostgres)
struct RollupRetentionTests {
    static let maintenance = PartitionMaintenance(logger: TestDatabase.logger)

    static func partitions(_ db: PostgresConnection, of parent: String) async throws -> [String] {
        try await db.strings(
            """
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = '\(parent)'::regclass ORDER BY 1
            """)
    }

    @Test("minute roll-ups keep days, hour roll-ups keep whole months, each by its own retention")
    func retention() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let now = try Date("2026-12-06T12:00:00Z", strategy: .iso8601)
            for table in ["ping_rollup_1m", "item_rollup_1m"] {
                try await db.execute("SELECT outpost_ensure_daily_partitions('\(table)', '2026-09-05', 5)")
            }
            for table in ["ping_rollup_1h", "item_rollup_1h"] {
                try await db.execute("SELECT outpost_ensure_monthly_partitions('\(table)', '2024-11-15', 3)")
            }
            let dropped = try await Self.maintenance.dropExpiredRollups(
                minuteDays: 90, hourDays: 730, now: now, on: db)
            // 90 days before 2026-12-06 is 2026-09-07; 730 days before is 2024-12-06: November
            // 2024 is wholly older, December 2024 is not.
            #expect(
                dropped.sorted() == [
                    "item_rollup_1h_p202411", "item_rollup_1m_p20260905", "item_rollup_1m_p20260906",
                    "ping_rollup_1h_p202411", "ping_rollup_1m_p20260905", "ping_rollup_1m_p20260906",
                ])
            #expect(try await Self.partitions(db, of: "ping_rollup_1m").starts(with: ["ping_rollup_1m_p20260907"]))
            #expect(
                try await Self.partitions(db, of: "ping_rollup_1h").starts(with: [
                    "ping_rollup_1h_p202412", "ping_rollup_1h_p202501",
                ]))
            await #expect(throws: RetentionError.self) {
                try await Self.maintenance.dropExpiredRollups(minuteDays: 0, hourDays: 730, on: db)
            }
        }
    }

    @Test("maintenance creates roll-up partitions ahead: daily for minutes, monthly for hours")
    func ahead() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let start = try Date("2027-03-30T00:00:00Z", strategy: .iso8601)
            try await Self.maintenance.ensurePartitions(from: start, days: 4, on: db)
            let minutes = try await Self.partitions(db, of: "item_rollup_1m")
            #expect(minutes.contains("item_rollup_1m_p20270402"))
            #expect(!minutes.contains("item_rollup_1m_p20270403"))
            let hours = try await Self.partitions(db, of: "ping_rollup_1h")
            #expect(hours.contains("ping_rollup_1h_p202703") && hours.contains("ping_rollup_1h_p202704"))
            #expect(!hours.contains("ping_rollup_1h_p202705"))
        }
    }
}
