import Foundation
import Logging
import PostgresNIO

/// Up and down seconds per device over a report's range, following a ``ReadingPlan``.
enum AvailabilitySQL {
    static func seconds(
        window: ReportWindow, plan: ReadingPlan, devices: [UUID], on connection: PostgresConnection, logger: Logger
    ) async throws -> [UUID: (up: Double, down: Double)] {
        var result: [UUID: (up: Double, down: Double)] = [:]
        guard !devices.isEmpty else { return result }
        let known = Set(devices)
        if plan.firstHour < plan.endHour {
            // The whole hours less the skipped ones, summed apart: an anti-join against the skipped
            // pairs sorts every hour bucket of the range, two sums hash them (docs/architecture.md,
            // point 10).
            let skipped = plan.skippedHours
            let rows = try await connection.query(
                """
                WITH whole AS (
                    SELECT h.device_id, sum(h.up_seconds::float8) AS up, sum(h.down_seconds::float8) AS down
                    FROM ping_rollup_1h h
                    WHERE h.bucket >= \(plan.firstHour) AND h.bucket < \(plan.endHour)
                    GROUP BY h.device_id
                ), skipped AS (
                    SELECT h.device_id, sum(h.up_seconds::float8) AS up, sum(h.down_seconds::float8) AS down
                    FROM unnest(\(skipped.map { $0.device })::uuid[], \(skipped.map { $0.hour })::timestamptz[])
                        AS x(device_id, hour)
                    JOIN ping_rollup_1h h ON h.device_id = x.device_id AND h.bucket = x.hour
                    GROUP BY h.device_id
                )
                SELECT w.device_id, w.up - coalesce(s.up, 0), w.down - coalesce(s.down, 0)
                FROM whole w LEFT JOIN skipped s ON s.device_id = w.device_id
                """, logger: logger)
            for try await (device, up, down) in rows.decode((UUID, Double, Double).self) where known.contains(device) {
                result[device] = (up, down)
            }
        }
        let spans = plan.spans
        guard !spans.isEmpty else { return result }
        let rows = try await connection.query(
            """
            SELECT r.device_id, sum(n.up_seconds * w.weight), sum(n.down_seconds * w.weight)
            FROM unnest(\(spans.map { $0.device })::uuid[], \(spans.map { $0.start })::timestamptz[],
                        \(spans.map { $0.end })::timestamptz[]) AS r(device_id, s, e)
            JOIN ping_rollup_1m n ON n.device_id = r.device_id
                AND n.bucket > r.s - interval '1 minute' AND n.bucket < r.e
            CROSS JOIN LATERAL (
                SELECT extract(epoch FROM LEAST(n.bucket + interval '1 minute', r.e) - GREATEST(n.bucket, r.s))::float8
                    / 60 AS weight
            ) w
            GROUP BY r.device_id
            """, logger: logger)
        for try await (device, up, down) in rows.decode((UUID, Double, Double).self) {
            let hourly = result[device] ?? (0, 0)
            result[device] = (hourly.up + up, hourly.down + down)
        }
        return result
    }
}
