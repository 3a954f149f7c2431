import Foundation
import Logging
import PostgresNIO

/// Recomputes SNMP item roll-up buckets: minutes from `item_history`, hours from
/// `item_rollup_1m`. A sample's value is its rate when it has one, else its number unless it is
/// a counter; samples with an error or no value are left out (docs/architecture.md, "Schema
/// decisions").
enum ItemRollupSQL {
    /// The charted value of an `item_history` row `h`, as SQL.
    static let valueExpression =
        "COALESCE(h.rate, CASE WHEN h.value_type IN ('counter32', 'counter64') THEN NULL ELSE h.value_numeric END)"

    static func recompute(_ minutes: ClaimedMinutes.Pairs, on connection: PostgresConnection, logger: Logger)
        async throws -> RecomputedBuckets
    {
        var result = RecomputedBuckets()
        guard minutes.count > 0 else { return result }
        let rows = try await connection.query(
            """
            WITH written AS (
                INSERT INTO item_rollup_1m (item_id, bucket, device_id, min_value, avg_value, max_value, last_value,
                    samples)
                SELECT c.item_id, c.minute, (array_agg(v.device_id ORDER BY v.timestamp DESC))[1], min(v.value),
                    avg(v.value), max(v.value), (array_agg(v.value ORDER BY v.timestamp DESC))[1], count(*)
                FROM unnest(\(minutes.keys)::uuid[], \(minutes.minutes)::timestamptz[]) AS c(item_id, minute)
                CROSS JOIN LATERAL (
                    SELECT h.device_id, h.timestamp, \(unescaped: valueExpression) AS value FROM item_history h
                    WHERE h.item_id = c.item_id AND h.error IS NULL
                        AND h.timestamp >= c.minute AND h.timestamp < c.minute + interval '1 minute'
                ) v
                WHERE v.value IS NOT NULL
                GROUP BY c.item_id, c.minute
                ON CONFLICT (item_id, bucket) DO UPDATE SET
                    device_id = EXCLUDED.device_id, min_value = EXCLUDED.min_value, avg_value = EXCLUDED.avg_value,
                    max_value = EXCLUDED.max_value, last_value = EXCLUDED.last_value, samples = EXCLUDED.samples
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
                INSERT INTO item_rollup_1h (item_id, bucket, device_id, min_value, avg_value, max_value, last_value,
                    samples)
                SELECT h.item_id, h.hour, (array_agg(m.device_id ORDER BY m.bucket DESC))[1], min(m.min_value),
                    sum(m.avg_value * m.samples) / sum(m.samples), max(m.max_value),
                    (array_agg(m.last_value ORDER BY m.bucket DESC))[1], sum(m.samples)
                FROM unnest(\(hours.keys)::uuid[], \(hours.minutes)::timestamptz[]) AS h(item_id, hour)
                JOIN item_rollup_1m m ON m.item_id = h.item_id
                    AND m.bucket >= h.hour AND m.bucket < h.hour + interval '1 hour'
                GROUP BY h.item_id, h.hour
                ON CONFLICT (item_id, bucket) DO UPDATE SET
                    device_id = EXCLUDED.device_id, min_value = EXCLUDED.min_value, avg_value = EXCLUDED.avg_value,
                    max_value = EXCLUDED.max_value, last_value = EXCLUDED.last_value, samples = EXCLUDED.samples
                RETURNING 1
            )
            SELECT count(*)::bigint FROM written
            """, logger: logger)
        for try await count in hourRows.decode(Int.self) { result.hourBuckets = count }
        return result
    }
}
