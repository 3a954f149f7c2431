import Foundation
import Logging
import OutpostStore
import PostgresNIO

/// The baseline job's cost at the legacy's scale: `devices` devices with four weeks (and a day)
/// of one-hour ping roll-ups and two items each, in a scratch database created and dropped here.
enum Cost {
    /// Each step timed: its name ("full", "day"), seconds and what it did.
    static func run(server: DatabaseURL, devices: Int, logger: Logger) async throws
        -> [(name: String, seconds: Double, step: BaselineStep)]
    {
        let database = "outpost_bench_baselines"
        try? await administer("DROP DATABASE IF EXISTS \(database) WITH (FORCE)", server: server, logger: logger)
        try await administer("CREATE DATABASE \(database)", server: server, logger: logger)
        let url = try server.with(database: database)
        let connection = try await PostgresConnection.connect(
            configuration: url.connectionConfiguration(), id: 2, logger: logger)
        try await MigrationRunner(logger: logger).migrate(on: connection)
        // Monday 2026-11-30 00:00 UTC: four weeks of hours before it, and the day after it.
        let through = Date(timeIntervalSince1970: 1_795_996_800)
        let started = ContinuousClock.now
        for sql in [
            """
            INSERT INTO standalone_devices (name, ip)
            SELECT 'device-' || i, '10.' || (i / 65536) || '.' || (i / 256 % 256) || '.' || (i % 256)
            FROM generate_series(1, \(devices)) i
            """,
            """
            INSERT INTO monitoring_items (device_id, name, oid_name, oid, value_type)
            SELECT d.id, n, n, '1.3.6.1.2.1.2.2.1.10.1', 'counter64' FROM standalone_devices d
            CROSS JOIN unnest(ARRAY['in_octets', 'out_octets']) n
            """,
            """
            SELECT outpost_ensure_monthly_partitions(t::regclass, DATE '2026-10-01', 4)
            FROM unnest(ARRAY['ping_rollup_1h', 'item_rollup_1h']) t
            """,
            """
            INSERT INTO ping_rollup_1h (device_id, bucket, min_rtt_ms, avg_rtt_ms, max_rtt_ms, packets_sent,
                packets_received, loss_percent, samples, up_seconds, down_seconds)
            SELECT d.id, h, 0.4, 1 + random() * 2, 8, 1080, 1075, random(), 360, 3600, 0
            FROM generate_series(TIMESTAMPTZ '2026-11-02 00:00:00+00', TIMESTAMPTZ '2026-11-30 23:00:00+00',
                interval '1 hour') h
            CROSS JOIN standalone_devices d ORDER BY h
            """,
            """
            INSERT INTO item_rollup_1h (item_id, bucket, device_id, min_value, avg_value, max_value, last_value, samples)
            SELECT i.id, h, i.device_id, 0, random() * 1e6, 0, 0, 60
            FROM generate_series(TIMESTAMPTZ '2026-11-02 00:00:00+00', TIMESTAMPTZ '2026-11-30 23:00:00+00',
                interval '1 hour') h
            CROSS JOIN monitoring_items i ORDER BY h
            """,
            "ANALYZE",
        ] {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        }
        print(
            String(
                format: "generated %d devices × 29 days of hourly ping roll-ups and 2 items each in %.1f s", devices,
                seconds(since: started)))
        let writer = BaselineWriter(logger: logger)
        var figures: [(name: String, seconds: Double, step: BaselineStep)] = []
        for (name, now) in [("full", through), ("day", through.addingTimeInterval(86_400))] {
            let clock = ContinuousClock.now
            let step = try await writer.step(now: now.addingTimeInterval(3_600), on: connection)
            figures.append((name, seconds(since: clock), step))
        }
        try await connection.close()
        try await administer("DROP DATABASE \(database) WITH (FORCE)", server: server, logger: logger)
        return figures
    }

    static func administer(_ sql: String, server: DatabaseURL, logger: Logger) async throws {
        let admin = try await PostgresConnection.connect(
            configuration: server.connectionConfiguration(), id: 1, logger: logger)
        try await admin.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        try await admin.close()
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = start.duration(to: .now)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
