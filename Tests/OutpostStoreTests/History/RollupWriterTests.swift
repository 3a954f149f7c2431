import Foundation
import OutpostCore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostStore

@Suite("History roll-ups", .tags(.postgres), .needsPostgres)
struct RollupWriterTests {
    static let rollups = RollupWriter(logger: TestDatabase.logger, chunk: 50)

    @Test("ingest marks each (device, minute) and numeric (item, minute) pair pending once, replays add none")
    func pendingMarks() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let fixture = try await HistoryFixture.devices(2, on: db)
            try await HistoryFixture.ingest(fixture, from: HistoryFixture.base, duration: 180, on: db)
            // 3 minutes x 2 devices, and x 2 items per device (every sample has a number or a rate).
            #expect(try await db.integer("SELECT count(*) FROM rollup_pending WHERE kind = 'ping'") == 6)
            #expect(try await db.integer("SELECT count(*) FROM rollup_pending WHERE kind = 'item'") == 12)
            try await HistoryFixture.ingest(fixture, from: HistoryFixture.base, duration: 180, on: db)
            #expect(try await db.integer("SELECT count(*) FROM rollup_pending") == 18)
        }
    }

    @Test("one-minute and one-hour roll-ups equal a direct aggregate of the raw rows")
    func equalsDirectAggregate() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let fixture = try await HistoryFixture.devices(3, on: db)
            // 10:40 to 12:20: two hour boundaries, some minutes with an unreachable round.
            try await HistoryFixture.ingest(
                fixture, from: HistoryFixture.base.addingTimeInterval(2_400), duration: 6_000, every: 15, on: db)
            let rounds = try await HistoryFixture.rollUpAll(Self.rollups, on: db)
            #expect(rounds.count > 1, "a chunk of 50 pairs takes several rounds")
            #expect(try await db.integer("SELECT count(*) FROM rollup_pending") == 0)
            #expect(rounds.reduce(0) { $0 + $1.rawRows } > 0)
            #expect(try await db.integer("SELECT count(*) FROM ping_rollup_1m") == 3 * 100)
            #expect(
                try await db.strings(HistoryFixture.pingMinutesSQL) == db.strings(HistoryFixture.pingMinutesDirectSQL))
            #expect(try await db.integer("SELECT count(*) FROM ping_rollup_1h") == 3 * 3)
            #expect(try await db.strings(HistoryFixture.pingHoursSQL) == db.strings(HistoryFixture.pingHoursDirectSQL))
            #expect(
                try await db.strings(HistoryFixture.itemRollupSQL("item_rollup_1m"))
                    == db.strings(HistoryFixture.itemDirectSQL("minute")))
            #expect(
                try await db.strings(HistoryFixture.itemRollupSQL("item_rollup_1h"))
                    == db.strings(HistoryFixture.itemDirectSQL("hour")))
            // An hour's up and down seconds are its minutes'.
            #expect(
                try await db.integer(
                    """
                    SELECT count(*) FROM ping_rollup_1h h WHERE abs(h.up_seconds + h.down_seconds - (
                        SELECT sum(m.up_seconds + m.down_seconds) FROM ping_rollup_1m m
                        WHERE m.device_id = h.device_id AND date_trunc('hour', m.bucket) = h.bucket)) > 0.01
                    """) == 0)
        }
    }

    @Test("rolling up the same minutes again changes nothing")
    func idempotent() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let fixture = try await HistoryFixture.devices(2, on: db)
            try await HistoryFixture.ingest(fixture, from: HistoryFixture.base, duration: 1_200, on: db)
            _ = try await HistoryFixture.rollUpAll(Self.rollups, on: db)
            let minutes = try await db.strings(HistoryFixture.pingMinutesSQL)
            let hours = try await db.strings(HistoryFixture.pingHoursSQL)
            let items = try await db.strings(HistoryFixture.itemRollupSQL("item_rollup_1m"))
            #expect(try await HistoryFixture.rollUpAll(Self.rollups, on: db).isEmpty)
            // Every minute pending again, as after a replay that re-marked them.
            try await db.execute(
                """
                INSERT INTO rollup_pending SELECT 'ping', device_id, date_trunc('minute', timestamp)
                FROM ping_results UNION SELECT 'item', item_id, date_trunc('minute', timestamp) FROM item_history
                """)
            let again = try await HistoryFixture.rollUpAll(Self.rollups, on: db)
            #expect(again.reduce(0) { $0 + $1.claimed } == 2 * 20 + 4 * 20)
            #expect(try await db.strings(HistoryFixture.pingMinutesSQL) == minutes)
            #expect(try await db.strings(HistoryFixture.pingHoursSQL) == hours)
            #expect(try await db.strings(HistoryFixture.itemRollupSQL("item_rollup_1m")) == items)
        }
    }

    @Test("a late batch for an old minute recomputes that minute and its hour")
    func lateBatch() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let fixture = try await HistoryFixture.devices(2, on: db)
            let next = try await HistoryFixture.ingest(fixture, from: HistoryFixture.base, duration: 600, on: db)
            _ = try await HistoryFixture.rollUpAll(Self.rollups, on: db)
            let before = try await db.strings(HistoryFixture.pingMinutesSQL)
            // Hours later, a spool replays rounds of 10:03 that never arrived (other seconds).
            try await HistoryFixture.ingest(
                fixture, from: HistoryFixture.base.addingTimeInterval(185), duration: 30, every: 10, sequence: next,
                seedOffset: 500, on: db)
            #expect(try await db.integer("SELECT count(*) FROM rollup_pending WHERE kind = 'ping'") == 2)
            let rounds = try await HistoryFixture.rollUpAll(Self.rollups, on: db)
            #expect(rounds.reduce(0) { $0 + $1.claimed } == 2 + 4)
            let after = try await db.strings(HistoryFixture.pingMinutesSQL)
            #expect(after != before)
            #expect(after == (try await db.strings(HistoryFixture.pingMinutesDirectSQL)))
            #expect(try await db.strings(HistoryFixture.pingHoursSQL) == db.strings(HistoryFixture.pingHoursDirectSQL))
            #expect(
                try await db.integer(
                    "SELECT samples FROM ping_rollup_1m WHERE bucket = '2026-11-20 10:03:00+00' LIMIT 1") == 6 + 3)
        }
    }

    @Test("a roll-up killed in the middle commits nothing: its pending pairs survive and the next run completes")
    func crashMidway() async throws {
        try await TestDatabase.withMigrated { db, database in
            let fixture = try await HistoryFixture.devices(1, on: db)
            try await HistoryFixture.ingest(fixture, from: HistoryFixture.base, duration: 300, on: db)
            let pending = try await db.integer("SELECT count(*) FROM rollup_pending")
            let victim = try await database.connect()
            let blocker = try await database.connect()
            let victimPID = try await victim.integer("SELECT pg_backend_pid()")
            // Another session holds the hour's row: the roll-up writes its minutes, then waits there.
            try await blocker.execute("SELECT outpost_ensure_monthly_partitions('ping_rollup_1h', '2026-11-01', 1)")
            try await blocker.execute("BEGIN")
            try await blocker.execute(
                """
                INSERT INTO ping_rollup_1h (device_id, bucket, packets_sent, packets_received, samples, up_seconds,
                    down_seconds) VALUES ('\(fixture.devices[0].uuid)', '2026-11-20 10:00:00+00', 0, 0, 1, 0, 0)
                """)
            let run = Task {
                try await RollupWriter(logger: TestDatabase.logger).rollUp(
                    now: HistoryFixture.base.addingTimeInterval(86_400), on: victim)
            }
            let waiting = try await database.eventually(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = \(victimPID) AND wait_event_type = 'Lock'", equals: 1
            )
            #expect(waiting == 1)
            // The server ends the session, as when the collector dies: its transaction aborts.
            #expect(try await db.integer("SELECT CASE WHEN pg_terminate_backend(\(victimPID)) THEN 1 ELSE 0 END") == 1)
            let gone = try await database.eventually(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = \(victimPID)", equals: 0)
            #expect(gone == 0)
            // What the dead session's client does next is not under test here.
            run.cancel()
            try await blocker.execute("ROLLBACK")
            try await blocker.close()
            #expect(try await db.integer("SELECT count(*) FROM rollup_pending") == pending)
            #expect(try await db.integer("SELECT count(*) FROM ping_rollup_1m") == 0)
            _ = try await HistoryFixture.rollUpAll(Self.rollups, on: db)
            #expect(try await db.integer("SELECT count(*) FROM rollup_pending") == 0)
            #expect(
                try await db.strings(HistoryFixture.pingMinutesSQL) == db.strings(HistoryFixture.pingMinutesDirectSQL))
            #expect(try await db.strings(HistoryFixture.pingHoursSQL) == db.strings(HistoryFixture.pingHoursDirectSQL))
        }
    }

    @Test("one writer at a time: a round finding the lock held does nothing")
    func lockedElsewhere() async throws {
        try await TestDatabase.withMigrated { db, database in
            let fixture = try await HistoryFixture.devices(1, on: db)
            try await HistoryFixture.ingest(fixture, from: HistoryFixture.base, duration: 60, on: db)
            let other = try await database.connect()
            try await other.execute("BEGIN")
            try await other.execute("SELECT pg_advisory_xact_lock(hashtext('outpost_rollups'))")
            let round = try await Self.rollups.rollUp(now: HistoryFixture.base.addingTimeInterval(3_600), on: db)
            #expect(round.lockedElsewhere)
            #expect(round.claimed == 0)
            try await other.execute("COMMIT")
            try await other.close()
            #expect(
                try await Self.rollups.rollUp(now: HistoryFixture.base.addingTimeInterval(3_600), on: db).claimed == 3)
        }
    }

    @Test("a minute is rolled up only once it ended the settling time ago")
    func settle() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let fixture = try await HistoryFixture.devices(1, on: db)
            try await HistoryFixture.ingest(fixture, from: HistoryFixture.base, duration: 60, on: db)
            let writer = RollupWriter(logger: TestDatabase.logger, settle: 30)
            #expect(try await writer.rollUp(now: HistoryFixture.base.addingTimeInterval(89), on: db).claimed == 0)
            #expect(try await writer.rollUp(now: HistoryFixture.base.addingTimeInterval(91), on: db).claimed == 3)
        }
    }
}
