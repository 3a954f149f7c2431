import Foundation
import OutpostCollector
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@Suite("History roll-up service", .tags(.postgres), .needsPostgres)
struct RollupMaintainerTests {
    @Test("one pass works off a backlog of many chunks, minutes and hours alike")
    func catchesUp() async throws {
        try await TestDatabase.withMigrated { db, database in
            // 3 devices x 60 minutes of 2026-11-20 10:00-11:00, rounds every 20 s, all pending.
            try await db.execute("SELECT outpost_ensure_daily_partitions('ping_results', '2026-11-20', 1)")
            try await db.execute(
                """
                INSERT INTO ping_results (device_id, device_ip, packets_sent, packets_received, packet_loss_percent,
                    avg_rtt_ms, is_reachable, timestamp)
                SELECT d, '10.0.0.1', 4, 4, 0, 1.5, true, t
                FROM (VALUES (gen_random_uuid()), (gen_random_uuid()), (gen_random_uuid())) AS v(d),
                    generate_series(TIMESTAMPTZ '2026-11-20 10:00:00+00', '2026-11-20 10:59:59+00', interval '20 seconds') t
                """)
            try await db.execute(
                "INSERT INTO rollup_pending SELECT DISTINCT 'ping', device_id, date_trunc('minute', timestamp) FROM ping_results"
            )
            let client = PostgresClient(
                configuration: database.url.clientConfiguration, backgroundLogger: TestDatabase.logger)
            let total = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                let maintainer = RollupMaintainer(
                    client: client, writer: RollupWriter(logger: TestDatabase.logger, chunk: 20),
                    logger: TestDatabase.logger)
                return try await maintainer.catchUp(now: { Date(timeIntervalSince1970: 1_795_255_200) })
            }
            #expect(total.claimed == 180)
            #expect(total.rawRows == 540)
            #expect(total.minuteBuckets == 180)
            #expect(try await db.integer("SELECT count(*) FROM rollup_pending") == 0)
            #expect(try await db.strings("SELECT samples::text FROM ping_rollup_1h") == ["180", "180", "180"])
        }
    }
}
