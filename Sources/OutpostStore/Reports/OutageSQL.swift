import Foundation
import Logging
import PostgresNIO

/// Finds outages from the one-minute roll-ups' down buckets (the partial index of migration 18):
/// consecutive down buckets of a device belong to one outage unless a bucket without unreachable
/// seconds lies between them; buckets without rounds (unknown, e.g. while an agent was away) do
/// not end one.
enum OutageSQL {
    /// A down episode before it is dressed as an ``Outage``.
    struct Episode: Sendable, Equatable {
        let device: UUID
        var start: Date
        var end: Date
        var downSeconds: Double
    }

    /// The down episodes of `devices` within `window`, per device in time order.
    static func episodes(window: ReportWindow, devices: [UUID], on connection: PostgresConnection, logger: Logger)
        async throws -> [Episode]
    {
        guard !devices.isEmpty else { return [] }
        // Each down bucket begins an outage when it is its device's first in the range, or when an
        // up bucket lies between it and the device's previous down bucket: an hour bucket between
        // their hours (it can hold no down seconds), else a minute bucket without any. Runs are
        // then numbered and summed per outage.
        let rows = try await connection.query(
            """
            WITH down AS (
                SELECT n.device_id, n.bucket, n.down_seconds,
                    lag(n.bucket) OVER (PARTITION BY n.device_id ORDER BY n.bucket) AS previous
                FROM ping_rollup_1m n
                WHERE n.down_seconds > 0 AND n.bucket > \(window.from) - interval '1 minute' AND n.bucket < \(window.to)
            ), marked AS (
                SELECT w.device_id, w.bucket, w.down_seconds,
                    CASE WHEN w.previous IS NULL OR (w.bucket > w.previous + interval '1 minute' AND (
                        EXISTS (SELECT 1 FROM ping_rollup_1h h WHERE h.device_id = w.device_id
                            AND h.bucket > date_trunc('hour', w.previous) AND h.bucket < date_trunc('hour', w.bucket))
                        OR EXISTS (SELECT 1 FROM ping_rollup_1m u WHERE u.device_id = w.device_id
                            AND u.bucket > w.previous AND u.bucket < w.bucket AND u.down_seconds = 0)))
                    THEN 1 ELSE 0 END AS begins
                FROM down w
            ), numbered AS (
                SELECT device_id, bucket, down_seconds,
                    sum(begins) OVER (PARTITION BY device_id ORDER BY bucket ROWS UNBOUNDED PRECEDING) AS outage
                FROM marked
            )
            SELECT device_id, min(bucket), max(bucket), sum(down_seconds)::float8
            FROM numbered GROUP BY device_id, outage
            """, logger: logger)
        let known = Set(devices)
        var episodes: [Episode] = []
        for try await (device, first, last, down) in rows.decode((UUID, Date, Date, Double).self)
        where known.contains(device) {
            episodes.append(
                Episode(
                    device: device, start: max(first, window.from), end: min(last.addingTimeInterval(60), window.to),
                    downSeconds: down))
        }
        return episodes
    }

    /// The alerts of each episode's device triggered while it lasted, by the episode's index.
    static func alerts(during episodes: [Episode], on connection: PostgresConnection, logger: Logger) async throws
        -> [Int: [OutageAlert]]
    {
        guard !episodes.isEmpty else { return [:] }
        let rows = try await connection.query(
            """
            SELECT o.i, a.id, a.rule_name, a.severity, a.triggered_at, a.resolved_at
            FROM unnest(\(episodes.map(\.device))::uuid[], \(episodes.map(\.start))::timestamptz[],
                        \(episodes.map(\.end))::timestamptz[]) WITH ORDINALITY AS o(device_id, s, e, i)
            JOIN alert_history a ON a.device_id = o.device_id AND a.triggered_at >= o.s AND a.triggered_at < o.e
            ORDER BY o.i, a.triggered_at, a.id
            """, logger: logger)
        var alerts: [Int: [OutageAlert]] = [:]
        for try await (ordinal, id, rule, severity, triggered, resolved) in rows.decode(
            (Int, UUID, String?, String, Date, Date?).self)
        {
            alerts[ordinal - 1, default: []].append(
                OutageAlert(id: id, ruleName: rule, severity: severity, triggeredAt: triggered, resolvedAt: resolved))
        }
        return alerts
    }
}
