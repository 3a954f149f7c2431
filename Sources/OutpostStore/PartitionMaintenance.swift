import Foundation
import Logging
import PostgresNIO

/// Keeps the daily partitions of the time-series tables ahead of time and drops expired ones.
///
/// Wraps the SQL functions of migration 3; the collector runs it at start and hourly, and
/// ingest calls ``ensure(days:)`` for a batch whose rows fall on a day without a partition.
public struct PartitionMaintenance: Sendable {
    /// The tables partitioned by day on `timestamp`.
    public static let partitionedTables = ["ping_results", "traceroute_results", "mtr_results", "item_history"]

    private let logger: Logger

    /// Creates the maintainer.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Creates missing partitions of every partitioned table from `firstDay` for `count` days;
    /// returns how many were created.
    @discardableResult
    public func ensurePartitions(from firstDay: Date, days count: Int, on connection: PostgresConnection) async throws
        -> Int
    {
        let day = Self.utcDay(firstDay)
        var created = 0
        for table in Self.partitionedTables {
            let rows = try await connection.query(
                "SELECT outpost_ensure_daily_partitions(\(table)::regclass, \(day)::date, \(count)::integer)",
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

    /// Drops every partition whose day is more than `retentionDays` before `now`; returns their names.
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
