// History at the legacy's scale: chart and summary query latency through HistoryStore, the
// roll-up job's throughput, and the cost of ingest's pending-pair insert.
//
// Usage: OUTPOST_BENCHMARKS=1 swift run -c release HistoryBench postgres://outpost@127.0.0.1:PORT/postgres \
//            [devices=875] [branches=128] [hour-days=30] [minute-days=2] [runs=100]
// It creates (and drops) a scratch database: one-hour roll-ups for `hour-days`, one-minute
// roll-ups for `minute-days`, raw rounds (every 10 s) for the last 3 hours, then ANALYZE, then
// times each query `runs` times on random devices and branches. Ends with `RESULT …` lines.
import Foundation
import Logging
import OutpostCore
import OutpostStore
import PostgresNIO

let arguments = CommandLine.arguments
guard arguments.count >= 2, let server = try? DatabaseURL(arguments[1]) else {
    FileHandle.standardError.write(
        Data(
            "usage: HistoryBench postgres://user@host:port/db [devices] [branches] [hour-days] [minute-days] [runs]\n"
                .utf8))
    exit(2)
}
func argument(_ index: Int, _ fallback: Int) -> Int {
    arguments.count > index ? Int(arguments[index]) ?? fallback : fallback
}
let devices = argument(2, 875)
let branches = argument(3, 128)
let hourDays = argument(4, 30)
let minuteDays = argument(5, 2)
let runs = argument(6, 100)
var logger = Logger(label: "outpost.bench.history")
logger.logLevel = .warning

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = start.duration(to: .now)
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
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

func run(_ query: PostgresQuery, on connection: PostgresConnection) async throws {
    try await connection.query(query, logger: logger)
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

/// p50 and p99 of `samples` (milliseconds).
func percentiles(_ samples: [Double]) -> (p50: Double, p99: Double) {
    let sorted = samples.sorted()
    func at(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))] }
    return (at(0.5), at(0.99))
}

func report(_ name: String, _ samples: [Double], goal: Double?) {
    let (p50, p99) = percentiles(samples)
    let verdict = goal.map { p99 < $0 ? "met" : "missed" } ?? "-"
    print(
        String(
            format: "%@: p50 %.2f ms, p99 %.2f ms over %d runs (goal p99 < %@ ms: %@)", name, p50, p99, samples.count,
            goal.map { String(Int($0)) } ?? "-", verdict))
    print(
        String(
            format: "RESULT name=%@ size=%d ours=%.2f reference=%@ unit=ms-p99 ratio=-", name, devices, p99,
            goal.map { String(Int($0)) } ?? "-"))
}

let database = "outpost_bench_history"
try? await administer("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
try await administer("CREATE DATABASE \(database)")
let url = try server.with(database: database)
let connection = try await PostgresConnection.connect(
    configuration: url.connectionConfiguration(), id: 2, logger: logger)
try await MigrationRunner(logger: logger).migrate(on: connection)

// --- The inventory and the history ---
var clock = ContinuousClock.now
try await execute(
    """
    INSERT INTO branches (name, display_name, region)
    SELECT 'branch-' || b, 'Branch ' || b, r.name_en FROM generate_series(1, \(branches)) b
    JOIN (SELECT name_en, row_number() OVER (ORDER BY name_en) - 1 AS n FROM georgian_regions) r ON r.n = b % 11;
    INSERT INTO standalone_devices (name, ip, branch_id)
    SELECT 'device-' || i, '10.' || (i / 65536) || '.' || (i / 256 % 256) || '.' || (i % 256),
        (SELECT id FROM branches WHERE name = 'branch-' || (1 + i % \(branches)))
    FROM generate_series(1, \(devices)) i;
    SELECT outpost_ensure_monthly_partitions(t::regclass, (now() - interval '\(hourDays + 1) days')::date, \(hourDays / 28 + 3))
    FROM unnest(ARRAY['ping_rollup_1h', 'item_rollup_1h']) t;
    SELECT outpost_ensure_daily_partitions(t::regclass, (now() - interval '\(minuteDays + 1) days')::date, \(minuteDays + 3))
    FROM unnest(ARRAY['ping_rollup_1m', 'item_rollup_1m']) t;
    SELECT outpost_ensure_daily_partitions('ping_results', (now() - interval '1 day')::date, 3);
    """, on: connection)
// In time order, as the roll-up job writes them: a device's rows are spread over the table.
try await execute(
    """
    INSERT INTO ping_rollup_1h (device_id, bucket, min_rtt_ms, avg_rtt_ms, max_rtt_ms, packets_sent, packets_received,
        loss_percent, samples, up_seconds, down_seconds)
    SELECT d.id, h, 0.4 + random(), 1 + random() * 2, 3 + random() * 5, 1800, 1790, 0.55, 360, 3580, 20
    FROM generate_series(date_trunc('hour', now() - interval '\(hourDays) days'), now(), interval '1 hour') h
    CROSS JOIN standalone_devices d ORDER BY h
    """, on: connection)
let hourRows = try await count("SELECT count(*) FROM ping_rollup_1h", on: connection)
try await execute(
    """
    INSERT INTO ping_rollup_1m (device_id, bucket, min_rtt_ms, avg_rtt_ms, max_rtt_ms, packets_sent, packets_received,
        loss_percent, samples, up_seconds, down_seconds)
    SELECT d.id, m, 0.4 + random(), 1 + random() * 2, 3 + random() * 5, 30, 30, 0, 6, 60, 0
    FROM generate_series(date_trunc('minute', now() - interval '\(minuteDays) days'), now(), interval '1 minute') m
    CROSS JOIN standalone_devices d ORDER BY m
    """, on: connection)
let minuteRows = try await count("SELECT count(*) FROM ping_rollup_1m", on: connection)
try await execute(
    """
    INSERT INTO ping_results (device_id, device_ip, packets_sent, packets_received, packet_loss_percent, min_rtt_ms,
        avg_rtt_ms, max_rtt_ms, is_reachable, timestamp)
    SELECT d.id, d.ip, 5, 5, 0, 0.5, 1 + random(), 3, true, t
    FROM generate_series(now() - interval '3 hours', now(), interval '10 seconds') t
    CROSS JOIN standalone_devices d ORDER BY t
    """, on: connection)
let rawRows = try await count("SELECT count(*) FROM ping_results", on: connection)
try await execute("ANALYZE", on: connection)
print(
    String(
        format:
            "generated %d devices in %d branches: %d one-hour rows (%d days), %d one-minute rows (%d days), %d raw rounds (3 h) in %.1f s",
        devices, branches, hourRows, hourDays, minuteRows, minuteDays, rawRows, seconds(since: clock)))

// --- Queries, through HistoryStore ---
let store = HistoryStore(logger: logger)
var generator = SystemRandomNumberGenerator()
var deviceIDs: [UUID] = []
for try await id in try await connection.query("SELECT id FROM standalone_devices", logger: logger).decode(UUID.self) {
    deviceIDs.append(id)
}
var branchIDs: [UUID] = []
for try await id in try await connection.query("SELECT id FROM branches", logger: logger).decode(UUID.self) {
    branchIDs.append(id)
}
func timed(_ body: () async throws -> Int) async throws -> (Double, Int) {
    let start = ContinuousClock.now
    let size = try await body()
    return (seconds(since: start) * 1000, size)
}
let cases: [(name: String, span: TimeInterval, goal: Double?, branch: Bool)] = [
    ("history-device-30d", 30 * 86_400, 50, false), ("history-device-24h", 86_400, nil, false),
    ("history-device-1h", 3_600, nil, false), ("history-branch-24h", 86_400, 100, true),
]
for item in cases {
    var samples: [Double] = []
    var points = 0
    for run in 0..<(runs + 5) {
        let to = Date()
        let from = to.addingTimeInterval(-item.span)
        let (milliseconds, size) = try await timed {
            if item.branch {
                let branch = branchIDs.randomElement(using: &generator)!
                return try await store.branchSummary(branch: branch, from: from, to: to, on: connection).count
            }
            let device = deviceIDs.randomElement(using: &generator)!
            return try await store.pingHistory(device: device, from: from, to: to, on: connection).points.count
        }
        if run >= 5 { samples.append(milliseconds) }  // the first runs warm the cache
        points = size
    }
    print("\(item.name): \(points) \(item.branch ? "devices" : "points") per answer")
    report(item.name, samples, goal: item.goal)
}

// --- Ingest with pending marks, then the roll-up job ---
let agent = AgentID.random()
try await execute(
    """
    INSERT INTO agents (id, branch_id, public_key, cert_serial, cert_not_after)
    SELECT '\(agent.uuid)', id, '\\x00'::bytea, 'bench', now() + interval '1 day' FROM branches LIMIT 1;
    CREATE TEMPORARY TABLE pending_probe (LIKE rollup_pending INCLUDING ALL);
    """, on: connection)
let start = Date().addingTimeInterval(-6 * 3_600)
let hourStart = Date(timeIntervalSince1970: (start.timeIntervalSince1970 / 3_600).rounded(.down) * 3_600)
var rounds: [PingRoundResult] = []
for step in 0..<360 {
    let time = hourStart.addingTimeInterval(Double(step) * 10)
    for (index, device) in deviceIDs.enumerated() {
        rounds.append(
            PingRoundResult(
                deviceID: DeviceID(device), deviceIP: "10.0.0.\(index % 250 + 1)", timestamp: time, packetsSent: 5,
                packetsReceived: step % 50 == 0 ? 0 : 5, minRTT: 0.5, avgRTT: 1 + Double(index % 7) / 10, maxRTT: 3,
                stddevRTT: 0.2))
    }
}
let rowsPerBatch = 1_000
let batchesPerGroup = 50
let batches = stride(from: 0, to: rounds.count, by: rowsPerBatch).enumerated().map { index, offset in
    IngestBatch(
        agentID: agent, sequence: BatchSequence(index + 1),
        pings: Array(rounds[offset..<min(offset + rowsPerBatch, rounds.count)]))
}
let writer = IngestWriter(logger: logger)
var ingestSeconds = 0.0
var probeSeconds = 0.0
for group in stride(from: 0, to: batches.count, by: batchesPerGroup) {
    let slice = Array(batches[group..<min(group + batchesPerGroup, batches.count)])
    clock = .now
    _ = try await writer.write(slice, on: connection)
    ingestSeconds += seconds(since: clock)
    // The pending insert alone, as ingest runs it (same distinct sorted pairs, same statement),
    // into an empty copy of rollup_pending.
    let pings = slice.flatMap(\.pings)
    var pairs = Set<String>()
    var keys: [UUID] = []
    var minutes: [Date] = []
    for ping in pings {
        let minute = Date(timeIntervalSince1970: (ping.timestamp.timeIntervalSince1970 / 60).rounded(.down) * 60)
        if pairs.insert("\(ping.deviceID.uuid) \(minute.timeIntervalSince1970)").inserted {
            keys.append(ping.deviceID.uuid)
            minutes.append(minute)
        }
    }
    let kinds = Array(repeating: "ping", count: keys.count)
    clock = .now
    try await run(
        """
        INSERT INTO pending_probe (kind, key_id, minute)
        SELECT * FROM unnest(\(kinds)::varchar[], \(keys)::uuid[], \(minutes)::timestamptz[])
        ON CONFLICT (kind, key_id, minute) DO UPDATE SET minute = EXCLUDED.minute WHERE false
        """, on: connection)
    probeSeconds += seconds(since: clock)
}
let pending = try await count("SELECT count(*) FROM rollup_pending", on: connection)
print(
    String(
        format:
            "ingest: %d rounds in %d batches of %d, %d per commit: %.2f s (%.0f rows/s); the pending insert alone (%d pairs): %.3f s = %.1f%% of it",
        rounds.count, batches.count, rowsPerBatch, batchesPerGroup, ingestSeconds, Double(rounds.count) / ingestSeconds,
        pending, probeSeconds, 100 * probeSeconds / ingestSeconds))
print(
    String(
        format: "RESULT name=history-pending-insert size=%d ours=%.1f reference=- unit=percent-of-ingest ratio=-",
        rounds.count, 100 * probeSeconds / ingestSeconds))

let rollups = RollupWriter(logger: logger)
var rolled = RollupRound()
clock = .now
while true {
    let round = try await rollups.rollUp(now: Date(), on: connection)
    if round.claimed == 0 { break }
    rolled.claimed += round.claimed
    rolled.rawRows += round.rawRows
    rolled.minuteBuckets += round.minuteBuckets
    rolled.hourBuckets += round.hourBuckets
}
let rollupSeconds = seconds(since: clock)
print(
    String(
        format: "roll-up: %d pending pairs, %d raw rows into %d minute and %d hour buckets in %.2f s: %.0f raw rows/s",
        rolled.claimed, rolled.rawRows, rolled.minuteBuckets, rolled.hourBuckets, rollupSeconds,
        Double(rolled.rawRows) / rollupSeconds))
print(
    String(
        format: "RESULT name=history-rollup size=%d ours=%.0f reference=- unit=rows/s ratio=-", rolled.rawRows,
        Double(rolled.rawRows) / rollupSeconds))

try await closeConnection(connection)
// HISTORY_BENCH_KEEP=1 keeps the database, to look at the plans (EXPLAIN) afterwards.
if ProcessInfo.processInfo.environment["HISTORY_BENCH_KEEP"] != "1" {
    try await administer("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
}
