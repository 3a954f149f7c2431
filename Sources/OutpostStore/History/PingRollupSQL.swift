import Foundation
import Logging
import PostgresNIO

/// Recomputes ping roll-up buckets: minutes from `ping_results`, hours from `ping_rollup_1m`.
/// Each bucket is replaced whole (docs/architecture.md, "Schema decisions", for the formulas).
enum PingRollupSQL {
    static func recompute(_ minutes: ClaimedMinutes.Pairs, on connection: PostgresConnection, logger: Logger)
        async throws -> RecomputedBuckets
    {
        var result = RecomputedBuckets()
        guard minutes.count > 0 else { return result }
        let rows = try await connection.query(
            """
            WITH written AS (
                INSERT INTO ping_rollup_1m (device_id, bucket, min_rtt_ms, avg_rtt_ms, max_rtt_ms, packets_sent,
                    packets_received, loss_percent, samples, up_seconds, down_seconds)
                SELECT c.device_id, c.minute, min(r.min_rtt_ms),
                    sum(r.avg_rtt_ms::float8 * r.packets_received) FILTER (WHERE r.avg_rtt_ms IS NOT NULL)
                        / NULLIF(sum(r.packets_received) FILTER (WHERE r.avg_rtt_ms IS NOT NULL), 0),
                    max(r.max_rtt_ms), sum(r.packets_sent), sum(r.packets_received),
                    LEAST(100, GREATEST(0,
                        100.0 * (sum(r.packets_sent) - sum(r.packets_received)) / NULLIF(sum(r.packets_sent), 0))),
                    count(*),
                    60.0 * count(*) FILTER (WHERE r.is_reachable) / count(*),
                    60.0 * count(*) FILTER (WHERE NOT r.is_reachable) / count(*)
                FROM unnest(\(minutes.keys)::uuid[], \(minutes.minutes)::timestamptz[]) AS c(device_id, minute)
                JOIN ping_results r ON r.device_id = c.device_id
                    AND r.timestamp >= c.minute AND r.timestamp < c.minute + interval '1 minute'
                GROUP BY c.device_id, c.minute
                ON CONFLICT (device_id, bucket) DO UPDATE SET
                    min_rtt_ms = EXCLUDED.min_rtt_ms, avg_rtt_ms = EXCLUDED.avg_rtt_ms,
                    max_rtt_ms = EXCLUDED.max_rtt_ms, packets_sent = EXCLUDED.packets_sent,
                    packets_received = EXCLUDED.packets_received, loss_percent = EXCLUDED.loss_percent,
                    samples = EXCLUDED.samples, up_seconds = EXCLUDED.up_seconds, down_seconds = EXCLUDED.down_seconds
                RETURNING samples
            )
            SELECT count(*)::bigint, COALESCE(sum(samples), 0)::bigint FROM written
            """, logger: logger)
        for try await (buckets, raw) in rows.decode((Int, Int).self) {
            result.minuteBuckets = buckets
            result.rawRows = raw
        }
        let hours = minutes.hours
        let hourRows = try await connection.query(
            """
            WITH written AS (
                INSERT INTO ping_rollup_1h (device_id, bucket, min_rtt_ms, avg_rtt_ms, max_rtt_ms, packets_sent,
                    packets_received, loss_percent, samples, up_seconds, down_seconds)
                SELECT h.device_id, h.hour, min(m.min_rtt_ms),
                    sum(m.avg_rtt_ms * m.packets_received) FILTER (WHERE m.avg_rtt_ms IS NOT NULL)
                        / NULLIF(sum(m.packets_received) FILTER (WHERE m.avg_rtt_ms IS NOT NULL), 0),
                    max(m.max_rtt_ms), sum(m.packets_sent), sum(m.packets_received),
                    LEAST(100, GREATEST(0,
                        100.0 * (sum(m.packets_sent) - sum(m.packets_received)) / NULLIF(sum(m.packets_sent), 0))),
                    sum(m.samples), sum(m.up_seconds), sum(m.down_seconds)
                FROM unnest(\(hours.keys)::uuid[], \(hours.minutes)::timestamptz[]) AS h(device_id, hour)
                JOIN ping_rollup_1m m ON m.device_id = h.device_id
                    AND m.bucket >= h.hour AND m.bucket < h.hour + interval '1 hour'
                GROUP BY h.device_id, h.hour
                ON CONFLICT (device_id, bucket) DO UPDATE SET
                    min_rtt_ms = EXCLUDED.min_rtt_ms, avg_rtt_ms = EXCLUDED.avg_rtt_ms,
                    max_rtt_ms = EXCLUDED.max_rtt_ms, packets_sent = EXCLUDED.packets_sent,
                    packets_received = EXCLUDED.packets_received, loss_percent = EXCLUDED.loss_percent,
                    samples = EXCLUDED.samples, up_seconds = EXCLUDED.up_seconds, down_seconds = EXCLUDED.down_seconds
                RETURNING 1
            )
            SELECT count(*)::bigint FROM written
            """, logger: logger)
        for try await count in hourRows.decode(Int.self) { result.hourBuckets = count }
        return result
    }
}
