import Foundation
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostStore

@Suite("Baselines: the daily job", .tags(.postgres), .needsPostgres)
struct BaselineWriterTests {
    /// Monday 2026-11-30 00:00 UTC: the seeded history is the four weeks before it.
    static let through = Date(timeIntervalSince1970: 1_795_996_800)
    static let weeks: TimeInterval = 28 * 86_400
    static let writer = BaselineWriter(logger: TestDatabase.logger)

    /// Seeded hourly roll-ups from `from` (included) to `to` (excluded): RTT following the hour of
    /// day plus a pseudo-random part, loss 0 to 3 %, an item's mean; `offset` shifts all values.
    static func seed(
        device: UUID, item: UUID?, from: Date, to: Date, offset: Double = 0, replies: Bool = true,
        on db: PostgresConnection
    ) async throws {
        try await db.query(
            """
            INSERT INTO ping_rollup_1h (device_id, bucket, min_rtt_ms, avg_rtt_ms, max_rtt_ms, packets_sent,
                packets_received, loss_percent, samples, up_seconds, down_seconds)
            SELECT \(device), b, NULL,
                CASE WHEN \(replies) THEN \(offset) + extract(hour FROM b AT TIME ZONE 'UTC')
                    + (abs(hashtextextended(b::text || 'rtt', 7)) % 10000) / 1000.0 END,
                NULL, 1080, CASE WHEN \(replies) THEN 1070 ELSE 0 END,
                CASE WHEN \(replies) THEN (abs(hashtextextended(b::text || 'loss', 7)) % 3000) / 1000.0 ELSE 100 END,
                360, 3600, 0
            FROM generate_series(\(from), \(to) - interval '1 hour', interval '1 hour') AS b
            """, logger: TestDatabase.logger)
        guard let item else { return }
        try await db.query(
            """
            INSERT INTO item_rollup_1h (item_id, bucket, device_id, min_value, avg_value, max_value, last_value, samples)
            SELECT \(item), b, \(device), 0, \(offset) + (abs(hashtextextended(b::text || 'item', 7)) % 100000) / 100.0,
                0, 0, 60
            FROM generate_series(\(from), \(to) - interval '1 hour', interval '1 hour') AS b
            """, logger: TestDatabase.logger)
    }

    /// The baselines computed directly in SQL (percentile_cont), as text: over [through - 4 weeks,
    /// through), the median of each hour of week's values (3 or more), and the median of the
    /// deviations of the hour before, itself and the hour after from their own hours' medians.
    static func direct(_ table: String, _ value: String, key: String, id: UUID, through: Date) -> String {
        let from = through.addingTimeInterval(-weeks)
        return """
            WITH v AS (
                SELECT ((extract(isodow FROM bucket AT TIME ZONE 'UTC') - 1) * 24
                    + extract(hour FROM bucket AT TIME ZONE 'UTC'))::int AS how, \(value)::float8 AS x
                FROM \(table) WHERE \(key) = '\(id)' AND \(value) IS NOT NULL
                    AND bucket >= '\(ISO8601DateFormatter().string(from: from))'
                    AND bucket < '\(ISO8601DateFormatter().string(from: through))'
            ), own AS (
                SELECT how, percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS m, count(*) AS n
                FROM v GROUP BY how HAVING count(*) >= 3
            ), deviations AS (
                SELECT (v.how + o + 168) % 168 AS slot, abs(v.x - own.m) AS d
                FROM v JOIN own USING (how) CROSS JOIN generate_series(-1, 1) AS o
            )
            SELECT own.how || ' ' || round(own.m::numeric, 6) || ' '
                || round((percentile_cont(0.5) WITHIN GROUP (ORDER BY d.d))::numeric, 6) || ' ' || own.n
            FROM own JOIN deviations d ON d.slot = own.how
            GROUP BY own.how, own.m, own.n ORDER BY own.how
            """
    }

    static func stored(device: UUID, rtt: Bool) -> String {
        let (median, mad, samples) =
            rtt
            ? ("rtt_median_ms", "rtt_mad_ms", "rtt_samples")
            : ("loss_median_percent", "loss_mad_percent", "loss_samples")
        return """
            SELECT hour_of_week || ' ' || round(\(median)::numeric, 6) || ' ' || round(\(mad)::numeric, 6) || ' ' || \(samples)
            FROM performance_baselines WHERE device_id = '\(device)' AND \(median) IS NOT NULL ORDER BY hour_of_week
            """
    }

    static func storedItem(_ item: UUID) -> String {
        """
        SELECT hour_of_week || ' ' || round(median_value::numeric, 6) || ' ' || round(mad_value::numeric, 6) || ' ' || samples
        FROM metric_baselines WHERE item_id = '\(item)' ORDER BY hour_of_week
        """
    }

    @Test("baselines equal a direct computation on seeded roll-ups; too little history gives none")
    func equalsDirectComputation() async throws {
        try await TestDatabase.withMigrated { db, _ in
            try await db.execute(
                """
                SELECT outpost_ensure_monthly_partitions(t::regclass, DATE '2026-10-01', 4)
                FROM unnest(ARRAY['ping_rollup_1h', 'item_rollup_1h']) AS t
                """)
            let branch = try await Fixture.branch("baselines", on: db)
            let steady = try await Fixture.device("steady", ip: "10.9.0.1", branch: branch, on: db)
            let newcomer = try await Fixture.device("newcomer", ip: "10.9.0.2", branch: branch, on: db)
            let silent = try await Fixture.device("silent", ip: "10.9.0.3", branch: branch, on: db)
            let item = UUID()
            try await db.query(
                """
                INSERT INTO monitoring_items (id, device_id, name, oid_name, oid, value_type)
                VALUES (\(item), \(steady), 'in_octets', 'ifInOctets', '1.3.6.1.2.1.2.2.1.10.1', 'counter64')
                """, logger: TestDatabase.logger)
            let start = Self.through.addingTimeInterval(-Self.weeks)
            // Older than the window: must not count.
            try await Self.seed(
                device: steady, item: item, from: start.addingTimeInterval(-7 * 86_400), to: start, offset: 1_000,
                on: db)
            try await Self.seed(device: steady, item: item, from: start, to: Self.through, on: db)
            // One week: one hourly mean per hour of week, fewer than 3.
            try await Self.seed(
                device: newcomer, item: nil, from: Self.through.addingTimeInterval(-7 * 86_400), to: Self.through,
                on: db)
            try await Self.seed(device: silent, item: nil, from: start, to: Self.through, replies: false, on: db)

            #expect(try await Self.writer.progress(on: db) == nil)
            let first = try await Self.writer.step(now: Self.through.addingTimeInterval(3_600), on: db)
            #expect(first.kind == .full && first.computedThrough == Self.through && first.hours == 168)
            #expect(first.devices == 3 && first.items == 1)
            #expect(first.rollupRows == 672 + 7 * 24 + 672 + 672, "steady, newcomer, silent, the item")

            let rtt = try await db.strings(Self.stored(device: steady, rtt: true))
            #expect(rtt.count == 168)
            #expect(rtt.allSatisfy { $0.hasSuffix(" 4") }, "one mean a week")
            #expect(
                rtt
                    == (try await db.strings(
                        Self.direct("ping_rollup_1h", "avg_rtt_ms", key: "device_id", id: steady, through: Self.through)
                    )))
            #expect(
                try await db.strings(Self.stored(device: steady, rtt: false))
                    == db.strings(
                        Self.direct(
                            "ping_rollup_1h", "loss_percent", key: "device_id", id: steady, through: Self.through)))
            let items = try await db.strings(Self.storedItem(item))
            #expect(items.count == 168)
            #expect(
                items
                    == (try await db.strings(
                        Self.direct("item_rollup_1h", "avg_value", key: "item_id", id: item, through: Self.through))))
            #expect(
                try await db.integer("SELECT count(*) FROM performance_baselines WHERE device_id = '\(newcomer)'") == 0,
                "too little history: no baseline, not a baseline of zero")
            // Never replied: no RTT baseline, a loss baseline of 100 %.
            #expect(
                try await db.strings(
                    "SELECT DISTINCT coalesce(rtt_median_ms::text, '-') || ' ' || loss_median_percent FROM performance_baselines WHERE device_id = '\(silent)'"
                ) == ["- 100"])

            // What the alert engine reads: Monday 05:00 is hour of week 5.
            let read = try await BaselineStore(logger: TestDatabase.logger).ruleBaselines(
                devices: [steady, newcomer, silent], hour: 5, on: db)
            #expect(read[newcomer] == nil)
            #expect(read[silent]?["rtt"] == nil && read[silent]?["packet_loss"]?.median == 100)
            let fifth = try #require(read[steady]?["rtt"])
            #expect(rtt[5] == "5 \(String(format: "%.6f", fifth.median)) \(String(format: "%.6f", fifth.mad)) 4")
            #expect(fifth.minimumSpread == 0.1, "RTT scores divide by at least 0.1 ms")
            #expect(read[steady]?["in_octets"] != nil)
        }
    }

    @Test("each later day learns again only the hours of week it changes; a restarted job continues")
    func incrementalDays() async throws {
        try await TestDatabase.withMigrated { db, _ in
            try await db.execute(
                "SELECT outpost_ensure_monthly_partitions('ping_rollup_1h'::regclass, DATE '2026-10-01', 4)")
            let device = try await Fixture.device("steady", ip: "10.9.0.1", on: db)
            let start = Self.through.addingTimeInterval(-Self.weeks)
            try await Self.seed(device: device, item: nil, from: start, to: Self.through, on: db)
            #expect(try await Self.writer.step(now: Self.through.addingTimeInterval(3_600), on: db).kind == .full)
            #expect(try await Self.writer.step(now: Self.through.addingTimeInterval(80_000), on: db).kind == .upToDate)
            let before = try await db.strings(Self.stored(device: device, rtt: true))

            // Monday much slower: 200 ms more, for the day of 2026-11-30.
            let next = Self.through.addingTimeInterval(86_400)
            try await Self.seed(device: device, item: nil, from: Self.through, to: next, offset: 200, on: db)
            // Before the day has settled: nothing to do.
            #expect(try await Self.writer.step(now: next.addingTimeInterval(60), on: db).kind == .upToDate)
            let restarted = BaselineWriter(logger: TestDatabase.logger)
            let day = try await restarted.step(now: next.addingTimeInterval(3_600), on: db)
            #expect(day.kind == .day && day.computedThrough == next)
            #expect(day.hours == 26, "Monday's 24 hours and the hour either side")
            #expect(try await restarted.progress(on: db) == next)
            let after = try await db.strings(Self.stored(device: device, rtt: true))
            func hour(_ row: String) -> Int { Int(row.prefix { $0 != " " }) ?? -1 }
            let changed = Set(0...24).union([167])
            let direct = try await db.strings(
                Self.direct("ping_rollup_1h", "avg_rtt_ms", key: "device_id", id: device, through: next))
            let expected =
                (direct.filter { changed.contains(hour($0)) } + before.filter { !changed.contains(hour($0)) })
                .sorted { hour($0) < hour($1) }
            #expect(after == expected)
            #expect(after[30] == before[30], "Tuesday 06:00 is not learned again")
            #expect(after[3] != before[3], "Monday 03:00 saw the slow day")
        }
    }

    @Test("a collector holding the job's lock makes the others skip the step")
    func oneWriterAtATime() async throws {
        try await TestDatabase.withMigrated { db, database in
            let other = try await database.connect()
            try await other.execute("BEGIN")
            try await other.execute("SELECT pg_advisory_xact_lock(hashtext('outpost_baselines'))")
            let step = try await Self.writer.step(now: Self.through, on: db)
            #expect(step.kind == .lockedElsewhere)
            try await other.execute("ROLLBACK")
            try await other.close()
            #expect(try await Self.writer.step(now: Self.through, on: db).kind == .full)
            #expect(try await db.integer("SELECT count(*) FROM performance_baselines") == 0)
        }
    }
}
