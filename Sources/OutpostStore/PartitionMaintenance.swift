import Foundation
import Logging
import PostgresNIO

/// Keeps the partitions of the time-series tables ahead of time and drops expired ones.
///
/// Wraps the SQL functions of migrations 3 (daily) and 16 (monthly); the collector runs it at
/// start and hourly, and ingest and the roll-up job call ``ensure(days:of:on:)`` for rows that
/// fall on a day without a partition.
public struct PartitionMaintenance: Sendable {
    /// The tables of raw rows, partitioned by day on `timestamp`.
    public static let partitionedTables = ["ping_results", "traceroute_results", "mtr_results", "item_history"]
    /// The one-minute roll-ups, partitioned by day on `bucket`.
    public static let minuteRollupTables = ["ping_rollup_1m", "item_rollup_1m"]
    /// The one-hour roll-ups, partitioned by month on `bucket`.
    public static let hourRollupTables = ["ping_rollup_1h", "item_rollup_1h"]

    private let logger: Logger

    /// Creates the maintainer.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Creates missing partitions of every partitioned table (raw rows and roll-ups) covering
    /// `count` days from `firstDay`; returns how many were created.
    @discardableResult
    public func ensurePartitions(from firstDay: Date, days count: Int, on connection: PostgresConnection) async throws
        -> Int
    {
        let day = Self.utcDay(firstDay)
        let lastDay = firstDay.addingTimeInterval(Double(max(count - 1, 0)) * 86_400)
        let months = Self.monthsBetween(firstDay, lastDay) + 1
        var created = 0
        for table in Self.partitionedTables + Self.minuteRollupTables {
            let rows = try await connection.query(
                "SELECT outpost_ensure_daily_partitions(\(table)::regclass, \(day)::date, \(count)::integer)",
                logger: logger)
            for try await count in rows.decode(Int.self) { created += count }
        }
        for table in Self.hourRollupTables {
            let rows = try await connection.query(
                "SELECT outpost_ensure_monthly_partitions(\(table)::regclass, \(day)::date, \(months)::integer)",
                logger: logger)
            for try await count in rows.decode(Int.self) { created += count }
        }
        if created > 0 {
            logger.info("created daily partitions", metadata: ["count": "\(created)", "from": "\(day)"])
        }
        return created
    }

    /// Creates partitions for the given days (UTC) of one table, if missing.
    public func ensure(days: Set<String>, of table: String, on connection: PostgresConnection) async throws {
        for day in days.sorted() {
            try await connection.query(
                "SELECT outpost_ensure_daily_partitions(\(table)::regclass, \(day)::date, 1)", logger: logger)
        }
    }

    /// Creates the monthly partitions holding `dates` (UTC) of one table, if missing.
    public func ensure(months dates: Set<Date>, of table: String, on connection: PostgresConnection) async throws {
        for month in Set(dates.map { String(Self.utcDay($0).prefix(7)) + "-01" }).sorted() {
            try await connection.query(
                "SELECT outpost_ensure_monthly_partitions(\(table)::regclass, \(month)::date, 1)", logger: logger)
        }
    }

    /// Drops the raw rows' partitions whose day is more than `retentionDays` before `now`; returns their names.
    public func dropExpired(retentionDays: Int, now: Date = Date(), on connection: PostgresConnection) async throws
        -> [String]
    {
        guard retentionDays >= 1 else { throw RetentionError(retentionDays: retentionDays) }
        let cutoff = Self.utcDay(now.addingTimeInterval(-Double(retentionDays) * 86_400))
        var dropped: [String] = []
        for table in Self.partitionedTables {
            let rows = try await connection.query(
                "SELECT outpost_drop_daily_partitions_before(\(table)::regclass, \(cutoff)::date)", logger: logger)
            for try await name in rows.decode(String.self) { dropped.append(name) }
        }
        if !dropped.isEmpty {
            logger.info("dropped expired partitions", metadata: ["count": "\(dropped.count)", "before": "\(cutoff)"])
        }
        return dropped
    }

    /// Drops the one-minute roll-ups' daily partitions older than `minuteDays` and the one-hour
    /// roll-ups' monthly partitions whose whole month is older than `hourDays`; returns their names.
    public func dropExpiredRollups(
        minuteDays: Int, hourDays: Int, now: Date = Date(), on connection: PostgresConnection
    ) async throws -> [String] {
        guard minuteDays >= 1 else { throw RetentionError(retentionDays: minuteDays) }
        guard hourDays >= 1 else { throw RetentionError(retentionDays: hourDays) }
        let minuteCutoff = Self.utcDay(now.addingTimeInterval(-Double(minuteDays) * 86_400))
        let hourCutoff = Self.utcDay(now.addingTimeInterval(-Double(hourDays) * 86_400))
        var dropped: [String] = []
        for table in Self.minuteRollupTables {
            let rows = try await connection.query(
                "SELECT outpost_drop_daily_partitions_before(\(table)::regclass, \(minuteCutoff)::date)",
                logger: logger)
            for try await name in rows.decode(String.self) { dropped.append(name) }
        }
        for table in Self.hourRollupTables {
            let rows = try await connection.query(
                "SELECT outpost_drop_monthly_partitions_before(\(table)::regclass, \(hourCutoff)::date)",
                logger: logger)
            for try await name in rows.decode(String.self) { dropped.append(name) }
        }
        if !dropped.isEmpty {
            logger.info(
                "dropped expired roll-up partitions",
                metadata: [
                    "count": "\(dropped.count)", "minutes_before": "\(minuteCutoff)", "hours_before": "\(hourCutoff)",
                ])
        }
        return dropped
    }

    /// Calendar months from the month of `start` to that of `end` (UTC), 0 for the same month.
    static func monthsBetween(_ start: Date, _ end: Date) -> Int {
        func month(_ date: Date) -> Int {
            let day = utcDay(date)
            return Int(day.prefix(4))! * 12 + Int(day.dropFirst(5).prefix(2))!
        }
        return month(end) - month(start)
    }

    /// `YYYY-MM-DD` of `date` in UTC.
    public static func utcDay(_ date: Date) -> String {
        UTCTimestamp.day(date)
    }
}

/// A retention that would drop today's data.
public struct RetentionError: Error, CustomStringConvertible {
    /// The refused value.
    public let retentionDays: Int
    public var description: String { "retention must keep at least 1 day (got \(retentionDays))" }
}
