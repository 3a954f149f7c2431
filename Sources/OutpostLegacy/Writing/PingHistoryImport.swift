import Foundation
import Logging
import NIOCore
import OutpostStore
import PostgresNIO

/// Copies the legacy ping history: raw rows within Outpost's raw retention by COPY into
/// `ping_results` (with their minutes marked pending for the roll-up job), older rows into the
/// roll-ups only (computed here), rows older than every retention or before `--since` counted
/// as skipped. Each batch commits with its progress row, so a killed import resumes after the
/// last committed batch and never copies a row twice (docs/legacy-import.md).
struct PingHistoryImport {
    static let columns = [
        "id", "device_ip", "device_name", "packets_sent", "packets_received", "packet_loss_percent", "min_rtt_ms",
        "avg_rtt_ms", "max_rtt_ms", "is_reachable", "timestamp",
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
        var ambiguous = 0
        var orphaned = 0
        var skippedSince = 0
        var skippedOld = 0
        var skippedNoDevice = 0
        var refused = 0
        table.read = state.copied + state.rolled + state.skipped + state.refused
        progress.start("ping_results", total: total)
        progress.advance(to: table.read)
        while true {
            let rows = try await source.rows(
                of: "ping_results", columns: Self.columns, key: "id", after: state.lastID, limit: limits.batchSize)
            guard let lastRow = rows.last, let lastID = try lastRow.integer("id").map(Int64.init) else { break }
            var raw: [LegacyPingRow] = []
            var rolled: [LegacyPingRow] = []
            var batchSkipped = 0
            var batchRefused = 0
            for row in rows {
                do {
                    var ping = try LegacyPingRow(row)
                    if let sinceCut, ping.micros < sinceCut {
                        skippedSince += 1
                        batchSkipped += 1
                        continue
                    }
                    ping.deviceID = resolveDevice(ping, ambiguous: &ambiguous)
                    if ping.deviceID == nil { orphaned += 1 }
                    if ping.micros >= rawCut {
                        raw.append(ping)
                    } else if ping.micros >= hourCut, ping.deviceID != nil {
                        rolled.append(ping)
                    } else {
                        if ping.deviceID == nil { skippedNoDevice += 1 } else { skippedOld += 1 }
                        batchSkipped += 1
                    }
                } catch {
                    batchRefused += 1
                    if refused < 1000 {
                        report.refusals.append(
                            .init(table: "ping_results", legacyID: row.text("id") ?? "?", reason: "\(error)"))
                    }
                    refused += 1
                }
            }
            var batchChecksum: UInt64 = 0
            for ping in raw { batchChecksum &+= ping.checksum }
            if let connection {
                try await write(
                    raw: raw, rolled: rolled, minuteCut: minuteCut, lastID: lastID, skipped: batchSkipped,
                    refused: batchRefused, checksum: batchChecksum, on: connection)
            }
            state.lastID = lastID
            state.copied += raw.count
            state.rolled += rolled.count
            state.skipped += batchSkipped
            state.refused += batchRefused
            state.checksum &+= batchChecksum
            table.read += rows.count
            progress.advance(to: table.read)
        }
        progress.finish()
        table.imported = state.copied + state.rolled
        table.unchanged = earlier
        table.skipped = state.skipped
        table.refused = state.refused
        if refused > 1000 { report.notes.append("ping_results: \(refused) rows refused; the first 1000 are listed") }
        if skippedSince > 0 { report.notes.append("ping_results: \(skippedSince) rows skipped: before --since") }
        if skippedOld > 0 {
            report.notes.append(
                "ping_results: \(skippedOld) rows skipped: older than the one-hour roll-ups' retention "
                    + "(\(limits.hourRollupRetentionDays) days)")
        }
        if skippedNoDevice > 0 {
            report.notes.append(
                "ping_results: \(skippedNoDevice) rows skipped: older than the raw retention "
                    + "(\(limits.rawRetentionDays) days) and of no imported device, so no roll-up holds them")
        }
        if ambiguous > 0 {
            report.notes.append("ping_results: \(ambiguous) rows of an address several devices share, matched by name")
        }
        if orphaned > 0 {
            report.notes.append(
                "ping_results: \(orphaned) rows of an address no imported device has: kept without a device")
        }
        report.notes.append(
            "ping_results: \(state.copied) rows copied to ping_results, \(state.rolled) older rows into the roll-ups only "
                + "(counted; the checksums cover the copied rows)")
        table.aggregate = (String(state.checksum), connection == nil ? "-" : try await targetChecksum())
        report.tables.append(table)
    }

    /// The imported device of the row's address: the only one, else the one whose name the
    /// row carries, else none.
    private func resolveDevice(_ ping: LegacyPingRow, ambiguous: inout Int) -> UUID? {
        guard let candidates = context.devicesByIP[ping.ip], !candidates.isEmpty else { return nil }
        if candidates.count == 1 { return candidates[0] }
        ambiguous += 1
        guard let name = ping.name?.trimmingCharacters(in: .whitespaces) else { return nil }
        return candidates.first { context.devices[$0]?.name == name }
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
    private func write(
        raw: [LegacyPingRow], rolled: [LegacyPingRow], minuteCut: Int64, lastID: Int64, skipped: Int, refused: Int,
        checksum: UInt64, on connection: PostgresConnection
    ) async throws {
        let partitions = PartitionMaintenance(logger: logger)
        let rawDays = Set(
            raw.map { String(LegacyTime.format(micros: $0.micros, separator: " ", suffix: "").prefix(10)) })
        let rolledMinuteDays = Set(
            rolled.map {
                String(LegacyTime.format(micros: $0.micros, separator: " ", suffix: "").prefix(10))
            })
        let hourDates = Set((raw + rolled).map { Date(timeIntervalSince1970: Double($0.micros / 1_000_000)) })
        // Partitions are created outside the batch's transaction (DDL takes strong locks).
        try await partitions.ensure(days: rawDays, of: "ping_results", on: connection)
        try await partitions.ensure(days: rawDays.union(rolledMinuteDays), of: "ping_rollup_1m", on: connection)
        try await partitions.ensure(months: hourDates, of: "ping_rollup_1h", on: connection)
        try await connection.withTransaction(logger: logger) { connection in
            if !raw.isEmpty {
                try await copy(raw, into: "ping_results", on: connection)
                var keys: [UUID] = []
                var minutes: [Date] = []
                var seen = Set<String>()
                for ping in raw {
                    guard let device = ping.deviceID else { continue }
                    let minute = ping.micros / 60_000_000 * 60
                    if seen.insert("\(device)\(minute)").inserted {
                        keys.append(device)
                        minutes.append(Date(timeIntervalSince1970: Double(minute)))
                    }
                }
                try await connection.query(
                    """
                    INSERT INTO rollup_pending (kind, key_id, minute)
                    SELECT 'ping', k, m FROM unnest(\(keys)::uuid[], \(minutes)::timestamptz[]) AS p(k, m)
                    ON CONFLICT DO NOTHING
                    """, logger: logger)
            }
            if !rolled.isEmpty { try await rollUp(rolled, minuteCut: minuteCut, on: connection) }
            try await connection.query(
                """
                INSERT INTO legacy_import_progress (legacy_table, source, last_id, rows_copied, rows_rolled, rows_skipped,
                                                    checksum)
                VALUES (\(Self.progressKey), \(source.description), \(lastID), \(raw.count), \(rolled.count),
                        \(skipped + refused), \(String(checksum))::numeric)
                ON CONFLICT (legacy_table) DO UPDATE SET source = EXCLUDED.source, last_id = EXCLUDED.last_id,
                    rows_copied = legacy_import_progress.rows_copied + EXCLUDED.rows_copied,
                    rows_rolled = legacy_import_progress.rows_rolled + EXCLUDED.rows_rolled,
                    rows_skipped = legacy_import_progress.rows_skipped + EXCLUDED.rows_skipped,
                    checksum = (legacy_import_progress.checksum + EXCLUDED.checksum) % 18446744073709551616,
                    updated_at = now()
                """, logger: logger)
        }
    }

    /// COPY in text format, about 1 MiB per message.
    private func copy(_ pings: [LegacyPingRow], into table: String, on connection: PostgresConnection) async throws {
        try await connection.copyFrom(
            table: table,
            columns: [
                "device_id", "device_ip", "device_name", "packets_sent", "packets_received", "packet_loss_percent",
                "min_rtt_ms", "avg_rtt_ms", "max_rtt_ms", "is_reachable", "timestamp",
            ],
            logger: logger
        ) { writer in
            var encoder = PingCopyEncoder()
            for ping in pings {
                encoder.append(ping)
                if encoder.buffer.readableBytes >= 1 << 20 { try await writer.write(encoder.take()) }
            }
            if encoder.buffer.readableBytes > 0 { try await writer.write(encoder.take()) }
        }
    }

    /// Rows older than the raw retention: into a staging table, then merged into the minute
    /// buckets (a minute may span two batches), and the touched hours recomputed from the
    /// minutes, with the roll-up job's formulas (docs/architecture.md, "Schema decisions").
    private func rollUp(_ pings: [LegacyPingRow], minuteCut: Int64, on connection: PostgresConnection) async throws {
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

/// COPY text rows of ``LegacyPingRow``s (tab-separated, `\N` for NULL, text escaped).
struct PingCopyEncoder {
    private(set) var buffer = ByteBufferAllocator().buffer(capacity: 1 << 20 + 4096)

    mutating func take() -> ByteBuffer {
        let full = buffer
        buffer = ByteBufferAllocator().buffer(capacity: 1 << 20 + 4096)
        return full
    }

    mutating func append(_ ping: LegacyPingRow) {
        if let device = ping.deviceID { buffer.writeString(device.uuidString.lowercased()) } else { null() }
        tab()
        text(ping.ip)
        tab()
        if let name = ping.name { text(name) } else { null() }
        tab()
        buffer.writeString(String(ping.sent))
        tab()
        buffer.writeString(String(ping.received))
        tab()
        buffer.writeString(ping.loss.description)
        for value in [ping.minRTT, ping.avgRTT, ping.maxRTT] {
            tab()
            if let value { buffer.writeString(value.description) } else { null() }
        }
        tab()
        buffer.writeString(ping.reachable ? "t" : "f")
        tab()
        buffer.writeString(LegacyTime.format(micros: ping.micros, separator: " ", suffix: "+00"))
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    private mutating func tab() { buffer.writeInteger(UInt8(ascii: "\t")) }
    private mutating func null() { buffer.writeString("\\N") }

    private mutating func text(_ value: String) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeString("\\t")
            case UInt8(ascii: "\n"): buffer.writeString("\\n")
            case UInt8(ascii: "\r"): buffer.writeString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }
}
