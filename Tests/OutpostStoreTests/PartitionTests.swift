import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@Suite("Daily partitions and retention", .tags(.postgres), .needsPostgres)
struct PartitionTests {
    static let maintenance = PartitionMaintenance(logger: TestDatabase.logger)

    static func partitions(of table: String, on db: PostgresConnection) async throws -> [String] {
        try await db.strings(
            """
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = '\(table)'::regclass ORDER BY c.relname
            """)
    }

    static func day(_ offset: Int, from now: Date = Date()) -> String {
        PartitionMaintenance.utcDay(now.addingTimeInterval(Double(offset) * 86_400)).replacingOccurrences(
            of: "-", with: "")
    }

    @Test(
        "every partitioned table has partitions for yesterday, today and the next seven days",
        arguments: PartitionMaintenance.partitionedTables)
    func partitionsAhead(table: String) async throws {
        try await TestDatabase.withMigrated { db, _ in
            let names = Set(try await Self.partitions(of: table, on: db))
            for offset in -1...7 {
                #expect(names.contains("\(table)_p\(Self.day(offset))"), "missing \(table) partition for day \(offset)")
            }
            #expect(
                try await db.integer("SELECT count(*) FROM pg_partitioned_table WHERE partrelid = '\(table)'::regclass")
                    == 1)
        }
    }

    @Test("a row lands in the partition of its UTC day, including at the midnight boundary")
    func rowsLandInTheirDay() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let today = PartitionMaintenance.utcDay(Date())
            try await db.query(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO ping_results (device_ip, timestamp) VALUES
                            ('10.0.0.1', '\(today) 00:00:00+00'),
                            ('10.0.0.2', '\(today) 23:59:59.999+00'),
                            ('10.0.0.3', '\(today) 03:30:00+04')
                        """), logger: TestDatabase.logger)
            let placed = try await db.strings(
                "SELECT device_ip || '@' || tableoid::regclass::text FROM ping_results ORDER BY device_ip")
            let todayPartition = "ping_results_p\(Self.day(0))"
            let yesterdayPartition = "ping_results_p\(Self.day(-1))"
            // 03:30 at UTC+4 is 23:30 UTC the day before.
            #expect(
                placed == [
                    "10.0.0.1@\(todayPartition)", "10.0.0.2@\(todayPartition)", "10.0.0.3@\(yesterdayPartition)",
                ])
        }
    }

    @Test("a row without a partition is refused until ensure creates its day")
    func missingPartitionIsCreated() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let farFuture = Date().addingTimeInterval(40 * 86_400)
            let day = PartitionMaintenance.utcDay(farFuture)
            let insert = "INSERT INTO ping_results (device_ip, timestamp) VALUES ('10.0.0.1', '\(day) 12:00:00+00')"
            #expect(await db.sqlState(of: insert) == "23514")  // no partition of relation found for row
            try await Self.maintenance.ensure(days: [day], of: "ping_results", on: db)
            #expect(await db.sqlState(of: insert) == nil)
            // Ensuring again is a no-op for that table; the others (and the roll-ups) get the day.
            let missingMonths = try await db.integer(
                """
                SELECT count(*) FROM unnest(ARRAY['ping_rollup_1h', 'item_rollup_1h']) t
                WHERE to_regclass(t || '_p' || to_char('\(day)'::date, 'YYYYMM')) IS NULL
                """)
            let created = try await Self.maintenance.ensurePartitions(from: farFuture, days: 1, on: db)
            #expect(
                created == PartitionMaintenance.partitionedTables.count - 1
                    + PartitionMaintenance.minuteRollupTables.count + missingMonths)
        }
    }

    @Test("retention drops old partitions whole and keeps the rest")
    func retention() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let now = Date()
            let old = now.addingTimeInterval(-40 * 86_400)
            try await Self.maintenance.ensurePartitions(from: old, days: 3, on: db)
            let oldDay = PartitionMaintenance.utcDay(old)
            try await db.query(
                PostgresQuery(
                    unsafeSQL:
                        "INSERT INTO ping_results (device_ip, timestamp) VALUES ('10.0.0.1', '\(oldDay) 12:00:00+00'), ('10.0.0.2', now())"
                ), logger: TestDatabase.logger)

            let dropped = try await Self.maintenance.dropExpired(retentionDays: 30, now: now, on: db)
            #expect(dropped.count == 3 * PartitionMaintenance.partitionedTables.count)
            #expect(dropped.contains("ping_results_p\(Self.day(-40, from: now))"))
            let remaining = try await Self.partitions(of: "ping_results", on: db)
            #expect(remaining.contains("ping_results_p\(Self.day(0, from: now))"))
            #expect(remaining.contains("ping_results_p\(Self.day(7, from: now))"))
            #expect(!remaining.contains { $0 < "ping_results_p\(Self.day(-30, from: now))" })
            #expect(try await db.strings("SELECT device_ip FROM ping_results") == ["10.0.0.2"])

            await #expect(throws: RetentionError.self) {
                try await Self.maintenance.dropExpired(retentionDays: 0, on: db)
            }
        }
    }
}
