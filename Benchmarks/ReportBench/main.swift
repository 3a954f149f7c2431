// A month's availability report at the legacy's scale: ReportStore.availability latency per
// grouping, against the goal of one second.
//
// Usage: OUTPOST_BENCHMARKS=1 swift run -c release ReportBench postgres://outpost@127.0.0.1:PORT/postgres \
//            [devices=875] [branches=128] [runs=20]
// It creates (and drops) a scratch database holding November 2026 as the roll-up job leaves it
// (generated in SQL the way HistoryBench generates history): one-hour buckets for every device
// and hour; one-minute buckets for every hour that has down minutes or maintenance, and for the
// month's last two days; two outages of 5 to 120 minutes per device, one lost round in 5 % of
// the device-hours (a one-minute outage each), and a nightly 02:00–02:30 maintenance window on a
// quarter of the branches. Then VACUUM ANALYZE (what autovacuum leaves an insert-only table
// with), then each grouping `runs` times with the figures only (the outages listed on request
// only), and the per-device report with every outage and its alerts listed for comparison. Ends
// with `RESULT …` lines.
import Foundation
import Logging
import OutpostStore
import PostgresNIO

let arguments = CommandLine.arguments
guard arguments.count >= 2, let server = try? DatabaseURL(arguments[1]) else {
    FileHandle.standardError.write(
        Data("usage: ReportBench postgres://user@host:port/db [devices] [branches] [runs]\n".utf8))
    exit(2)
}
func argument(_ index: Int, _ fallback: Int) -> Int {
    arguments.count > index ? Int(arguments[index]) ?? fallback : fallback
}
let devices = argument(2, 875)
let branches = argument(3, 128)
let runs = argument(4, 20)
var logger = Logger(label: "outpost.bench.report")
logger.logLevel = .warning

func milliseconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = start.duration(to: .now)
    return Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
}

func administer(_ sql: String) async throws {
    let admin = try await PostgresConnection.connect(
        configuration: server.connectionConfiguration(), id: 1, logger: logger)
    try await admin.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    try await admin.close()
}

func closeConnection(_ connection: PostgresConnection) async throws {
    try await connection.close()
}

/// Runs the statements of `sql`, each ending with `;` at the end of a line.
func execute(_ sql: String, on connection: PostgresConnection) async throws {
    for statement in sql.split(separator: ";\n")
    where !statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
        try await connection.query(PostgresQuery(unsafeSQL: String(statement)), logger: logger)
    }
}

func count(_ sql: String, on connection: PostgresConnection) async throws -> Int {
    let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    for try await value in rows.decode(Int.self) { return value }
    return 0
}

func percentile(_ samples: [Double], _ q: Double) -> Double {
    let sorted = samples.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))]
}

let database = "outpost_bench_report"
try? await administer("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
try await administer("CREATE DATABASE \(database)")
let url = try server.with(database: database)
let connection = try await PostgresConnection.connect(
    configuration: url.connectionConfiguration(), id: 2, logger: logger)
try await MigrationRunner(logger: logger).migrate(on: connection)

let month = try ReportWindow(
    from: Date(timeIntervalSince1970: 1_793_491_200),  // 2026-11-01 00:00 UTC
    to: Date(timeIntervalSince1970: 1_796_083_200))  // 2026-12-01 00:00 UTC
let start = ContinuousClock.now
try await execute(
    """
    INSERT INTO branches (name, display_name, region)
    SELECT 'branch-' || b, 'Branch ' || b, r.name_en FROM generate_series(1, \(branches)) b
    JOIN (SELECT name_en, row_number() OVER (ORDER BY name_en) - 1 AS n FROM georgian_regions) r ON r.n = b % 11;
    INSERT INTO standalone_devices (name, ip, branch_id, device_type)
    SELECT 'device-' || i, '10.' || (i / 65536) || '.' || (i / 256 % 256) || '.' || (i % 256),
        (SELECT id FROM branches WHERE name = 'branch-' || (1 + i % \(branches))),
        (ARRAY['router', 'switch', 'access-point', 'firewall'])[1 + i % 4]
    FROM generate_series(1, \(devices)) i;
    SELECT outpost_ensure_monthly_partitions('ping_rollup_1h', '2026-11-01', 1);
    SELECT outpost_ensure_daily_partitions('ping_rollup_1m', '2026-11-01', 30);
    INSERT INTO maintenance_windows (id, name, starts_at, schedule, duration_seconds)
    VALUES ('00000000-0000-4000-8000-000000000001', 'nightly', '2026-10-01T00:00:00Z', '0 2 * * *', 1800);
    INSERT INTO maintenance_window_targets (window_id, branch_id)
    SELECT '00000000-0000-4000-8000-000000000001', id FROM branches WHERE substring(name from 8)::int % 4 = 0;
    CREATE TEMP TABLE down_minute AS
    SELECT device_id, minute, max(down) AS down FROM (
        SELECT d.id AS device_id, o.s + make_interval(mins => k) AS minute, 60.0 AS down
        FROM standalone_devices d
        CROSS JOIN LATERAL (
            SELECT date_trunc('minute', TIMESTAMPTZ '2026-11-01 00:00:00+00' + random() * interval '29 days') AS s,
                (5 + floor(random() * 116))::int AS minutes, g
            FROM generate_series(1, 2) g WHERE d.id IS NOT NULL) o
        CROSS JOIN LATERAL generate_series(0, o.minutes - 1) k
        UNION ALL
        SELECT d.id, h + make_interval(mins => floor(random() * 60)::int), 10.0
        FROM standalone_devices d
        CROSS JOIN generate_series(TIMESTAMPTZ '2026-11-01 00:00:00+00', '2026-11-30 23:00:00+00', interval '1 hour') h
        WHERE random() < 0.05
    ) m GROUP BY device_id, minute;
    CREATE TEMP TABLE minute_hour AS
    SELECT DISTINCT device_id, date_trunc('hour', minute) AS hour FROM down_minute
    UNION
    SELECT d.id, day + interval '2 hours'
    FROM standalone_devices d JOIN maintenance_window_targets t ON t.branch_id = d.branch_id
    CROSS JOIN generate_series(TIMESTAMPTZ '2026-11-01 00:00:00+00', '2026-11-30 00:00:00+00', interval '1 day') day
    UNION
    SELECT d.id, h FROM standalone_devices d
    CROSS JOIN generate_series(TIMESTAMPTZ '2026-11-29 00:00:00+00', '2026-11-30 23:00:00+00', interval '1 hour') h;
    INSERT INTO ping_rollup_1m (device_id, bucket, min_rtt_ms, avg_rtt_ms, max_rtt_ms, packets_sent, packets_received,
        loss_percent, samples, up_seconds, down_seconds)
    SELECT mh.device_id, mh.hour + make_interval(mins => k), 0.5, 1.5, 3, 30, 30, 0, 6,
        60 - coalesce(dm.down, 0), coalesce(dm.down, 0)
    FROM minute_hour mh CROSS JOIN generate_series(0, 59) k
    LEFT JOIN down_minute dm ON dm.device_id = mh.device_id AND dm.minute = mh.hour + make_interval(mins => k)
    ORDER BY 2;
    INSERT INTO ping_rollup_1h (device_id, bucket, min_rtt_ms, avg_rtt_ms, max_rtt_ms, packets_sent, packets_received,
        loss_percent, samples, up_seconds, down_seconds)
    SELECT d.id, h, 0.5, 1.5, 3, 1800, 1800, 0, 360, coalesce(m.up, 3600), coalesce(m.down, 0)
    FROM generate_series(TIMESTAMPTZ '2026-11-01 00:00:00+00', '2026-11-30 23:00:00+00', interval '1 hour') h
    CROSS JOIN standalone_devices d
    LEFT JOIN (SELECT device_id, date_trunc('hour', bucket) AS hour, sum(up_seconds) AS up, sum(down_seconds) AS down
               FROM ping_rollup_1m GROUP BY 1, 2) m ON m.device_id = d.id AND m.hour = h
    ORDER BY h;
    VACUUM ANALYZE;
    """, on: connection)
let hourRows = try await count("SELECT count(*) FROM ping_rollup_1h", on: connection)
let minuteRows = try await count("SELECT count(*) FROM ping_rollup_1m", on: connection)
let downMinutes = try await count("SELECT count(*) FROM ping_rollup_1m WHERE down_seconds > 0", on: connection)
print(
    String(
        format: "generated in %.1f s: %d devices, %d hour buckets, %d minute buckets (%d down)",
        milliseconds(since: start) / 1_000, devices, hourRows, minuteRows, downMinutes))

let store = ReportStore(logger: logger)
let goal = 1_000.0
let cases =
    ReportGrouping.allCases.map { ($0, OutageListing.omitted, $0.rawValue) } + [(.device, .all, "device-outages")]
for (grouping, listing, name) in cases {
    var samples: [Double] = []
    var rows = 0
    var outages = 0
    var counted = 0
    for _ in 0..<runs {
        let started = ContinuousClock.now
        let report = try await store.availability(month, by: grouping, regions: nil, outages: listing, on: connection)
        samples.append(milliseconds(since: started))
        rows = report.rows.count
        outages = report.outages.count
        counted = report.rows.reduce(0) { $0 + $1.outages }
    }
    let p50 = percentile(samples, 0.5)
    let p95 = percentile(samples, 0.95)
    print(
        String(
            format:
                "month by %@: p50 %.1f ms, p95 %.1f ms over %d runs, %d rows, %d outages counted, %d listed (goal p50 < 1000 ms: %@)",
            name, p50, p95, runs, rows, counted, outages, p50 < goal ? "met" : "missed"))
    print(
        String(
            format: "RESULT name=report-month-%@ size=%d ours=%.1f reference=1000 unit=ms-p50 ratio=%.2f",
            name, devices, p50, p50 / goal))
}
try await closeConnection(connection)
try? await administer("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
