import Foundation
import Logging
import PostgresNIO

/// Turns the pending (device, minute) and (item, minute) pairs that ingest records into
/// one-minute and one-hour roll-ups (docs/architecture.md, "Schema decisions").
///
/// A round runs in one transaction under an advisory lock (one roll-up writer at a time across
/// collectors, so that two never recompute one hour from different minutes): it deletes a
/// chunk of pending pairs, oldest minutes first, **recomputes** each touched minute from the
/// raw rows and replaces its bucket, then recomputes each touched hour from its minutes. A
/// replayed or late batch only marks its minutes pending again, so running a round twice, or
/// after a crash (the delete commits with the buckets), never counts a row twice.
public struct RollupWriter: Sendable {
    /// Pending pairs one round claims at most.
    public let chunk: Int
    /// Minutes are rolled up once they ended this long ago: rows of the open minute still
    /// arrive, and ingest would wait for a round that holds the minute's pending row.
    public let settle: TimeInterval
    private let logger: Logger
    private let partitions: PartitionMaintenance

    /// Creates a writer.
    public init(logger: Logger, chunk: Int = 5_000, settle: TimeInterval = 30) {
        precondition(chunk > 0 && settle >= 0)
        self.chunk = chunk
        self.settle = settle
        self.logger = logger
        self.partitions = PartitionMaintenance(logger: logger)
    }

    /// Rolls up one chunk of pending pairs whose minute ended at least ``settle`` before `now`.
    public func rollUp(now: Date = Date(), on connection: PostgresConnection) async throws -> RollupRound {
        let cutoff = now.addingTimeInterval(-60 - settle)
        return try await connection.transaction(logger: logger) { connection in
            var round = RollupRound()
            let locked = try await connection.query(
                "SELECT pg_try_advisory_xact_lock(hashtext('outpost_rollups'))", logger: logger)
            for try await acquired in locked.decode(Bool.self) where !acquired {
                round.lockedElsewhere = true
                return round
            }
            let claimed = try await claim(before: cutoff, on: connection)
            round.claimed = claimed.pings.count + claimed.items.count
            guard round.claimed > 0 else { return round }
            try await ensurePartitions(for: claimed, on: connection)
            let pings = try await PingRollupSQL.recompute(claimed.pings, on: connection, logger: logger)
            let items = try await ItemRollupSQL.recompute(claimed.items, on: connection, logger: logger)
            round.minuteBuckets = pings.minuteBuckets + items.minuteBuckets
            round.hourBuckets = pings.hourBuckets + items.hourBuckets
            round.rawRows = pings.rawRows + items.rawRows
            return round
        }
    }

    /// Pending pairs in all (a backlog the job is catching up on).
    public func backlog(on connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query("SELECT count(*)::bigint FROM rollup_pending", logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    /// Deletes up to ``chunk`` pending pairs of minutes before `cutoff`, oldest first.
    private func claim(before cutoff: Date, on connection: PostgresConnection) async throws -> ClaimedMinutes {
        let rows = try await connection.query(
            """
            DELETE FROM rollup_pending p USING (
                SELECT kind, key_id, minute FROM rollup_pending WHERE minute < \(cutoff)
                ORDER BY minute LIMIT \(chunk) FOR UPDATE SKIP LOCKED
            ) c
            WHERE p.kind = c.kind AND p.key_id = c.key_id AND p.minute = c.minute
            RETURNING p.kind, p.key_id, p.minute
            """, logger: logger)
        var claimed = ClaimedMinutes()
        for try await (kind, key, minute) in rows.decode((String, UUID, Date).self) {
            if kind == "ping" { claimed.pings.append(key, minute) } else { claimed.items.append(key, minute) }
        }
        return claimed
    }

    private func ensurePartitions(for claimed: ClaimedMinutes, on connection: PostgresConnection) async throws {
        let pingMinutes = claimed.pings.minutes
        let itemMinutes = claimed.items.minutes
        if !pingMinutes.isEmpty {
            try await partitions.ensure(
                days: Set(pingMinutes.map(PartitionMaintenance.utcDay)), of: "ping_rollup_1m", on: connection)
            try await partitions.ensure(months: Set(pingMinutes), of: "ping_rollup_1h", on: connection)
        }
        if !itemMinutes.isEmpty {
            try await partitions.ensure(
                days: Set(itemMinutes.map(PartitionMaintenance.utcDay)), of: "item_rollup_1m", on: connection)
            try await partitions.ensure(months: Set(itemMinutes), of: "item_rollup_1h", on: connection)
        }
    }
}

/// The pairs one round claimed, by kind.
struct ClaimedMinutes {
    /// Keys (devices or items) and minutes, as parallel arrays for `unnest`.
    struct Pairs {
        private(set) var keys: [UUID] = []
        private(set) var minutes: [Date] = []

        var count: Int { keys.count }

        mutating func append(_ key: UUID, _ minute: Date) {
            keys.append(key)
            minutes.append(minute)
        }

        /// The distinct (key, hour) pairs of these minutes.
        var hours: Pairs {
            var seen = Set<HourKey>()
            var hours = Pairs()
            for (key, minute) in zip(keys, minutes) {
                let hour = Date(timeIntervalSince1970: (minute.timeIntervalSince1970 / 3600).rounded(.down) * 3600)
                if seen.insert(HourKey(key: key, hour: hour)).inserted { hours.append(key, hour) }
            }
            return hours
        }

        private struct HourKey: Hashable {
            let key: UUID
            let hour: Date
        }
    }

    var pings = Pairs()
    var items = Pairs()
}

/// What recomputing one kind's minutes and hours wrote.
struct RecomputedBuckets {
    var minuteBuckets = 0
    var hourBuckets = 0
    var rawRows = 0
}
