import Foundation
import Logging
import OutpostStore
import PostgresNIO

/// Copies the legacy ping history: raw rows within Outpost's raw retention by COPY into
/// `ping_results` (with their minutes marked pending for the roll-up job), older rows into the
/// roll-ups only (computed here), rows older than every retention or before `--since` counted
/// as skipped. Each batch commits with its progress row, so a killed import resumes after the
/// last committed batch and never copies a row twice; the next batch is read and prepared
/// while one is written (docs/legacy-import.md).
struct PingHistoryImport {
    /// The columns of ``LegacyPingRow/copyLine(into:)``.
    static let copyColumns = [
        "device_id", "device_ip", "device_name", "packets_sent", "packets_received", "packet_loss_percent",
        "min_rtt_ms", "avg_rtt_ms", "max_rtt_ms", "is_reachable", "timestamp",
    ]
    static let progressKey = "ping_results"

    /// The retention limits rows are sorted by, and the `--since` cut.
    struct Limits: Sendable {
        var now: Date
        var rawRetentionDays: Int
        var minuteRollupRetentionDays: Int
        var hourRollupRetentionDays: Int
        /// Only rows at most this long before the newest legacy row (`--since`).
        var since: TimeInterval?
        /// Rows per batch (one transaction each).
        var batchSize: Int
    }

    /// The SQL that prints an Outpost `ping_results` row as ``LegacyPingRow/canonical`` does.
    static let canonicalSQL = """
        concat_ws('|', device_ip, coalesce(device_id::text, ''),
            to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), packets_sent, packets_received,
            coalesce(round(packet_loss_percent::float8 * 1000)::bigint::text, ''),
            coalesce(round(min_rtt_ms::float8 * 1000)::bigint::text, ''),
            coalesce(round(avg_rtt_ms::float8 * 1000)::bigint::text, ''),
            coalesce(round(max_rtt_ms::float8 * 1000)::bigint::text, ''),
            CASE WHEN is_reachable THEN 't' ELSE 'f' END)
        """

    let logger: Logger
    let source: any LegacySource
    let connection: PostgresConnection?
    let context: LegacyImportContext
    let limits: Limits
    let progress: LegacyProgress

    /// Runs the copy; fills `table` and adds refusals and notes to `report`.
    func run(into report: inout LegacyImportReport) async throws {
        var table = LegacyImportReport.Table(legacy: "ping_results", outpost: "ping_results + roll-ups")
        let total = Int(try await source.scalar("SELECT count(*) FROM ping_results") ?? "0") ?? 0
        guard total > 0 else {
            table.aggregate = ("0", "0")
            report.tables.append(table)
            return
        }
        let newest = try await source.scalar("SELECT max(timestamp) FROM ping_results").flatMap {
            LegacyTime.micros($0, zone: .utc)
        }
        let sinceCut = limits.since.flatMap { since in newest.map { $0 - Int64(since * 1_000_000) } }
        let nowMicros = Int64(limits.now.timeIntervalSince1970 * 1_000_000)
        let day: Int64 = 86_400_000_000
        let rawCut = nowMicros - Int64(limits.rawRetentionDays) * day
        let minuteCut = nowMicros - Int64(limits.minuteRollupRetentionDays) * day
        let hourCut = nowMicros - Int64(limits.hourRollupRetentionDays) * day

        var state = try await loadProgress()
        let earlier = state.copied + state.rolled
        if state.lastID > 0 {
            report.notes.append(
                "ping_results: resumed after legacy id \(state.lastID) (\(state.copied) copied, \(state.rolled) rolled up, "
                    + "\(state.skipped) skipped by an earlier run)")
        }
        var totals = PingBatch.Counts()
        var listed = 0
        table.read = state.copied + state.rolled + state.skipped + state.refused
        progress.start("ping_results", total: total)
        progress.advance(to: table.read)
        let reader = PingBatchReader(
            source: source, devices: PingDeviceLookup(context), batchSize: limits.batchSize, sinceCut: sinceCut,
            rawCut: rawCut, hourCut: hourCut)
        // Reading and preparing the next batch overlaps writing this one.
        var next = Task { [lastID = state.lastID] in try await reader.batch(after: lastID) }
        do {
            while let batch = try await next.value {
                next = Task { try await reader.batch(after: batch.lastID) }
                if let connection { try await write(batch, minuteCut: minuteCut, on: connection) }
                state.lastID = batch.lastID
                state.copied += batch.raw.rows
                state.rolled += batch.rolled.rows
                state.skipped += batch.counts.skipped
                state.refused += batch.counts.refused
                state.checksum &+= batch.checksum
                totals += batch.counts
                for refusal in batch.refusals.prefix(PingBatchReader.listedRefusals - listed) {
                    listed += 1
                    report.refusals.append(.init(table: "ping_results", legacyID: refusal.id, reason: refusal.reason))
                }
                table.read += batch.read
                progress.advance(to: table.read)
            }
        } catch {
            next.cancel()
            _ = try? await next.value
            throw error
        }
        progress.finish()
        table.imported = state.copied + state.rolled
        table.unchanged = earlier
        table.skipped = state.skipped
        table.refused = state.refused
        if totals.refused > PingBatchReader.listedRefusals {
            report.notes.append(
                "ping_results: \(totals.refused) rows refused; the first \(PingBatchReader.listedRefusals) are listed")
        }
        if totals.skippedSince > 0 {
            report.notes.append("ping_results: \(totals.skippedSince) rows skipped: before --since")
        }
        if totals.skippedOld > 0 {
            report.notes.append(
                "ping_results: \(totals.skippedOld) rows skipped: older than the one-hour roll-ups' retention "
                    + "(\(limits.hourRollupRetentionDays) days)")
        }
        if totals.skippedNoDevice > 0 {
            report.notes.append(
                "ping_results: \(totals.skippedNoDevice) rows skipped: older than the raw retention "
                    + "(\(limits.rawRetentionDays) days) and of no imported device, so no roll-up holds them")
        }
        if totals.ambiguous > 0 {
            report.notes.append(
                "ping_results: \(totals.ambiguous) rows of an address several devices share, matched by name")
        }
        if totals.orphaned > 0 {
            report.notes.append(
                "ping_results: \(totals.orphaned) rows of an address no imported device has: kept without a device")
        }
        report.notes.append(
            "ping_results: \(state.copied) rows copied to ping_results, \(state.rolled) older rows into the roll-ups only "
                + "(counted; the checksums cover the copied rows)")
        table.aggregate = (String(state.checksum), connection == nil ? "-" : try await targetChecksum())
        report.tables.append(table)
    }

    private struct Progress {
        var lastID: Int64 = 0
        var copied = 0
        var rolled = 0
        var skipped = 0
        var refused = 0
        var checksum: UInt64 = 0
    }

    private func loadProgress() async throws -> Progress {
        guard let connection else { return Progress() }
        let rows = try await connection.query(
            """
            SELECT last_id, rows_copied, rows_rolled, rows_skipped, checksum::text FROM legacy_import_progress
            WHERE legacy_table = \(Self.progressKey)
            """, logger: logger)
        for try await (lastID, copied, rolled, skipped, checksum) in rows.decode(
            (Int64, Int64, Int64, Int64, String).self)
        {
            return Progress(
                lastID: lastID, copied: Int(copied), rolled: Int(rolled), skipped: Int(skipped), refused: 0,
                checksum: UInt64(checksum) ?? 0)
        }
        return Progress()
    }

    /// One batch in one transaction: partitions, COPY, pending minutes, roll-ups, progress.
    private func write(_ batch: PingBatch, minuteCut: Int64, on connection: PostgresConnection) async throws {
        let partitions = PartitionMaintenance(logger: logger)
        func days(_ days: Set<Int64>) -> Set<String> {
            Set(
                days.map {
                    String(LegacyTime.format(micros: $0 * 86_400_000_000, separator: " ", suffix: "").prefix(10))
                })
        }
        let rawDays = days(batch.rawDays)
        // Partitions are created outside the batch's transaction (DDL takes strong locks).
        try await partitions.ensure(days: rawDays, of: "ping_results", on: connection)
        try await partitions.ensure(
            days: rawDays.union(days(batch.rolledDays)), of: "ping_rollup_1m", on: connection)
        try await partitions.ensure(
            months: Set(batch.hours.map { Date(timeIntervalSince1970: Double($0) * 3600) }), of: "ping_rollup_1h",
            on: connection)
        try await connection.withTransaction(logger: logger) { connection in
            if batch.raw.rows > 0 {
                try await copy(batch.raw, into: "ping_results", on: connection)
                // A pair already pending is locked (`DO UPDATE … WHERE false`), as ingest does:
                // the roll-up job must not claim it before these rows commit.
                try await connection.query(
                    """
                    INSERT INTO rollup_pending (kind, key_id, minute)
                    SELECT 'ping', k, m FROM unnest(\(batch.pendingDevices)::uuid[], \(batch.pendingMinutes)::timestamptz[]) AS p(k, m)
                    ON CONFLICT (kind, key_id, minute) DO UPDATE SET minute = EXCLUDED.minute WHERE false
                    """, logger: logger)
            }
            if batch.rolled.rows > 0 { try await rollUp(batch.rolled, minuteCut: minuteCut, on: connection) }
            try await connection.query(
                """
                INSERT INTO legacy_import_progress (legacy_table, source, last_id, rows_copied, rows_rolled, rows_skipped,
                                                    checksum)
                VALUES (\(Self.progressKey), \(source.description), \(batch.lastID), \(batch.raw.rows),
                        \(batch.rolled.rows), \(batch.counts.skipped + batch.counts.refused), \(String(batch.checksum))::numeric)
                ON CONFLICT (legacy_table) DO UPDATE SET source = EXCLUDED.source, last_id = EXCLUDED.last_id,
                    rows_copied = legacy_import_progress.rows_copied + EXCLUDED.rows_copied,
                    rows_rolled = legacy_import_progress.rows_rolled + EXCLUDED.rows_rolled,
                    rows_skipped = legacy_import_progress.rows_skipped + EXCLUDED.rows_skipped,
                    checksum = (legacy_import_progress.checksum + EXCLUDED.checksum) % 18446744073709551616,
                    updated_at = now()
                """, logger: logger)
        }
    }

    /// COPY of prepared text, streamed in its chunks of about 1 MiB.
    private func copy(_ text: PingBatch.CopyText, into table: String, on connection: PostgresConnection) async throws {
        try await connection.copyFrom(table: table, columns: Self.copyColumns, logger: logger) { writer in
            for chunk in text.chunks { try await writer.write(chunk) }
        }
    }

    /// Rows older than the raw retention: into a staging table, then merged into the minute
    /// buckets (a minute may span two batches), and the touched hours recomputed from the
    /// minutes, with the roll-up job's formulas (docs/architecture.md, "Schema decisions").
    private func rollUp(_ pings: PingBatch.CopyText, minuteCut: Int64, on connection: PostgresConnection)
        async throws
    {
        try await connection.query(
            """
            CREATE TEMP TABLE IF NOT EXISTS legacy_ping_stage (LIKE ping_results INCLUDING DEFAULTS) ON COMMIT DELETE ROWS
            """, logger: logger)
        try await copy(pings, into: "legacy_ping_stage", on: connection)
        let cut = Date(timeIntervalSince1970: Double(minuteCut) / 1_000_000)
        try await connection.query(
            """
            INSERT INTO ping_rollup_1m AS t (device_id, bucket, min_rtt_ms, avg_rtt_ms, max_rtt_ms, packets_sent,
                packets_received, loss_percent, samples, up_seconds, down_seconds)
            SELECT device_id, date_trunc('minute', timestamp), min(min_rtt_ms),
                sum(avg_rtt_ms::float8 * packets_received) FILTER (WHERE avg_rtt_ms IS NOT NULL)
                    / NULLIF(sum(packets_received) FILTER (WHERE avg_rtt_ms IS NOT NULL), 0),
                max(max_rtt_ms), sum(packets_sent), sum(packets_received),
                LEAST(100, GREATEST(0, 100.0 * (sum(packets_sent) - sum(packets_received)) / NULLIF(sum(packets_sent), 0))),
                count(*), 60.0 * count(*) FILTER (WHERE is_reachable) / count(*),
                60.0 * count(*) FILTER (WHERE NOT is_reachable) / count(*)
            FROM legacy_ping_stage GROUP BY 1, 2
            ON CONFLICT (device_id, bucket) DO UPDATE SET
                min_rtt_ms = LEAST(t.min_rtt_ms, EXCLUDED.min_rtt_ms),
                max_rtt_ms = GREATEST(t.max_rtt_ms, EXCLUDED.max_rtt_ms),
                avg_rtt_ms = (coalesce(t.avg_rtt_ms * t.packets_received, 0)
                              + coalesce(EXCLUDED.avg_rtt_ms * EXCLUDED.packets_received, 0))
                             / NULLIF(CASE WHEN t.avg_rtt_ms IS NULL THEN 0 ELSE t.packets_received END
                                      + CASE WHEN EXCLUDED.avg_rtt_ms IS NULL THEN 0 ELSE EXCLUDED.packets_received END, 0),
                packets_sent = t.packets_sent + EXCLUDED.packets_sent,
                packets_received = t.packets_received + EXCLUDED.packets_received,
                loss_percent = LEAST(100, GREATEST(0, 100.0 * ((t.packets_sent + EXCLUDED.packets_sent)
                    - (t.packets_received + EXCLUDED.packets_received)) / NULLIF(t.packets_sent + EXCLUDED.packets_sent, 0))),
                samples = t.samples + EXCLUDED.samples,
                up_seconds = (t.up_seconds * t.samples + EXCLUDED.up_seconds * EXCLUDED.samples) / (t.samples + EXCLUDED.samples),
                down_seconds = (t.down_seconds * t.samples + EXCLUDED.down_seconds * EXCLUDED.samples) / (t.samples + EXCLUDED.samples)
            """, logger: logger)
        try await connection.query(
            """
            INSERT INTO ping_rollup_1h (device_id, bucket, min_rtt_ms, avg_rtt_ms, max_rtt_ms, packets_sent,
                packets_received, loss_percent, samples, up_seconds, down_seconds)
            SELECT m.device_id, date_trunc('hour', m.bucket), min(m.min_rtt_ms),
                sum(m.avg_rtt_ms * m.packets_received) FILTER (WHERE m.avg_rtt_ms IS NOT NULL)
                    / NULLIF(sum(m.packets_received) FILTER (WHERE m.avg_rtt_ms IS NOT NULL), 0),
                max(m.max_rtt_ms), sum(m.packets_sent), sum(m.packets_received),
                LEAST(100, GREATEST(0, 100.0 * (sum(m.packets_sent) - sum(m.packets_received)) / NULLIF(sum(m.packets_sent), 0))),
                sum(m.samples), sum(m.up_seconds), sum(m.down_seconds)
            FROM ping_rollup_1m m
            JOIN (SELECT DISTINCT device_id, date_trunc('hour', timestamp) AS hour FROM legacy_ping_stage) h
                ON m.device_id = h.device_id AND m.bucket >= h.hour AND m.bucket < h.hour + interval '1 hour'
            GROUP BY 1, 2
            ON CONFLICT (device_id, bucket) DO UPDATE SET
                min_rtt_ms = EXCLUDED.min_rtt_ms, avg_rtt_ms = EXCLUDED.avg_rtt_ms, max_rtt_ms = EXCLUDED.max_rtt_ms,
                packets_sent = EXCLUDED.packets_sent, packets_received = EXCLUDED.packets_received,
                loss_percent = EXCLUDED.loss_percent, samples = EXCLUDED.samples, up_seconds = EXCLUDED.up_seconds,
                down_seconds = EXCLUDED.down_seconds
            """, logger: logger)
        // Minutes older than their own retention were only a step to the hours.
        try await connection.query(
            """
            DELETE FROM ping_rollup_1m m USING (SELECT DISTINCT device_id FROM legacy_ping_stage) d
            WHERE m.device_id = d.device_id AND m.bucket < \(cut)
            """, logger: logger)
    }

    /// The sum of the row checksums of the imported rows now in `ping_results` (those without
    /// an agent: only the importer writes such rows).
    private func targetChecksum() async throws -> String {
        guard let connection else { return "-" }
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT (coalesce(sum(('x' || substr(md5(\(Self.canonicalSQL)), 1, 15))::bit(60)::bigint::numeric), 0)
                            % 18446744073709551616)::text
                    FROM ping_results WHERE agent_id IS NULL
                    """), logger: logger)
        for try await value in rows.decode(String.self) { return value }
        return "0"
    }
}
