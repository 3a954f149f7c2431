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
