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
            let skipped = plan.skippedHours
            let rows = try await connection.query(
                """
                SELECT h.device_id, sum(h.up_seconds)::float8, sum(h.down_seconds)::float8
                FROM ping_rollup_1h h
                WHERE h.bucket >= \(plan.firstHour) AND h.bucket < \(plan.endHour)
                  AND NOT EXISTS (
                      SELECT 1 FROM unnest(\(skipped.map { $0.device })::uuid[], \(skipped.map { $0.hour })::timestamptz[])
                          AS x(device_id, hour)
                      WHERE x.device_id = h.device_id AND x.hour = h.bucket)
                GROUP BY h.device_id
                """, logger: logger)
            for try await (device, up, down) in rows.decode((UUID, Double, Double).self) where known.contains(device) {
                result[device] = (up, down)
            }
        }
        let hours = plan.minuteHours
        guard !hours.isEmpty else { return result }
        let pieces = plan.pieces
        // LEAST and GREATEST skip NULLs: the maintenance sum counts joined pieces only.
        let rows = try await connection.query(
            """
            WITH pieces AS (
                SELECT * FROM unnest(\(pieces.map { $0.device })::uuid[], \(pieces.map { $0.hour })::timestamptz[],
                    \(pieces.map { $0.start })::timestamptz[], \(pieces.map { $0.end })::timestamptz[]) AS p(device_id, hour, s, e)
            ), minutes AS (
                SELECT n.device_id, n.up_seconds::float8 AS up, n.down_seconds::float8 AS down,
                    GREATEST(0, extract(epoch FROM LEAST(n.bucket + interval '1 minute', \(window.to))
                            - GREATEST(n.bucket, \(window.from)))::float8
                        - COALESCE(sum(extract(epoch FROM LEAST(p.e, n.bucket + interval '1 minute')
                            - GREATEST(p.s, n.bucket))::float8) FILTER (WHERE p.s IS NOT NULL), 0)) / 60.0 AS weight
                FROM unnest(\(hours.map { $0.device })::uuid[], \(hours.map { $0.hour })::timestamptz[]) AS r(device_id, hour)
                JOIN ping_rollup_1m n ON n.device_id = r.device_id
                    AND n.bucket >= r.hour AND n.bucket < r.hour + interval '1 hour'
                LEFT JOIN pieces p ON p.device_id = r.device_id AND p.hour = r.hour
                    AND p.s < n.bucket + interval '1 minute' AND p.e > n.bucket
                WHERE n.bucket > \(window.from) - interval '1 minute' AND n.bucket < \(window.to)
                GROUP BY n.device_id, n.bucket, n.up_seconds, n.down_seconds
            )
            SELECT device_id, sum(up * weight), sum(down * weight) FROM minutes GROUP BY device_id
            """, logger: logger)
        for try await (device, up, down) in rows.decode((UUID, Double, Double).self) {
            let hourly = result[device] ?? (0, 0)
            result[device] = (hourly.up + up, hourly.down + down)
        }
        return result
    }
}
