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

    /// Common table expressions ending in `episodes (device_id, start_at, end_at, down)`: the down
    /// episodes within `window` of the devices `wanted` (the name of a relation with an `id`
    /// column, `nil`: every device), clipped to the range. `covered`, if given, names a relation
    /// (`id`) of devices with an hour bucket in every whole hour of the range (those of a
    /// ``ReadingPlan``), whose hours need no probing.
    ///
    /// Each down bucket begins an outage when it is its device's first in the range, or when an
    /// up bucket lies between it and the device's previous down bucket: an hour bucket between
    /// their hours (it can hold no down seconds), else any minute bucket between them (none
    /// between two consecutive down buckets has down seconds). Both probes are bounded by the
    /// range so that they read one partition's index each, and the hour probe is made only where
    /// a whole hour lies between and the device may lack it. Runs are then numbered and summed
    /// per outage.
    static func episodesCTE(_ window: ReportWindow, wanted: String?, covered: String? = nil) -> String {
        let from = "to_timestamp(\(window.from.timeIntervalSince1970)::float8)"
        let to = "to_timestamp(\(window.to.timeIntervalSince1970)::float8)"
        let hour = (window.from.timeIntervalSince1970 / 3_600).rounded(.down) * 3_600
        let firstHour = "to_timestamp(\(hour)::float8)"
        // The hours between lie within the plan's whole hours unless the previous bucket's hour
        // is the range's first, partial one.
        let wholeFrom =
            "to_timestamp(\((window.from.timeIntervalSince1970 / 3_600).rounded(.up) * 3_600 - 3_600)::float8)"
        let hasEveryHour =
            covered.map { "(w.device_id IN (SELECT id FROM \($0)) AND \(hourOf("w.previous")) >= \(wholeFrom)) OR" }
            ?? ""
        let filter = wanted.map { "AND n.device_id IN (SELECT id FROM \($0))" } ?? ""
        return """
            down AS (
                SELECT n.device_id, n.bucket, n.down_seconds,
                    lag(n.bucket) OVER (PARTITION BY n.device_id ORDER BY n.bucket) AS previous
                FROM ping_rollup_1m n
                WHERE n.down_seconds > 0 AND n.bucket > \(from) - interval '1 minute' AND n.bucket < \(to) \(filter)
            ), marked AS (
                SELECT w.device_id, w.bucket, w.down_seconds,
                    CASE WHEN w.previous IS NULL THEN 1
                    WHEN w.bucket = w.previous + interval '1 minute' THEN 0
                    WHEN w.bucket >= \(hourOf("w.previous")) + interval '2 hours' AND (\(hasEveryHour) EXISTS (
                        SELECT 1 FROM ping_rollup_1h h WHERE h.device_id = w.device_id
                            AND h.bucket >= \(firstHour) AND h.bucket < \(to)
                            AND h.bucket > \(hourOf("w.previous")) AND h.bucket < \(hourOf("w.bucket"))))
                        THEN 1
                    WHEN EXISTS (
                        SELECT 1 FROM ping_rollup_1m u WHERE u.device_id = w.device_id
                            AND u.bucket > \(from) - interval '1 minute' AND u.bucket < \(to)
                            AND u.bucket > w.previous AND u.bucket < w.bucket)
                        THEN 1
                    ELSE 0 END AS begins
                FROM down w
            ), numbered AS (
                SELECT device_id, bucket, down_seconds,
                    sum(begins) OVER (PARTITION BY device_id ORDER BY bucket ROWS UNBOUNDED PRECEDING) AS outage
                FROM marked
            ), episodes AS (
                SELECT device_id, GREATEST(min(bucket), \(from)) AS start_at,
                    LEAST(max(bucket) + interval '1 minute', \(to)) AS end_at, sum(down_seconds)::float8 AS down
                FROM numbered GROUP BY device_id, outage
            )
            """
    }

    /// The UTC hour an SQL time `expression` falls in (`date_trunc` would use the session's zone).
    static func hourOf(_ expression: String) -> String {
        "date_bin(interval '1 hour', \(expression), to_timestamp(0))"
    }

    /// The down episodes of `devices` within `window`.
    static func episodes(window: ReportWindow, devices: [UUID], on connection: PostgresConnection, logger: Logger)
        async throws -> [Episode]
    {
        guard !devices.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            WITH listed AS (SELECT unnest(\(devices)::uuid[]) AS id), \(unescaped: episodesCTE(window, wanted: "listed"))
            SELECT device_id, start_at, end_at, down FROM episodes
            """, logger: logger)
        var episodes: [Episode] = []
        for try await (device, start, end, down) in rows.decode((UUID, Date, Date, Double).self) {
            episodes.append(Episode(device: device, start: start, end: end, downSeconds: down))
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
