import Foundation
import Logging
import PostgresNIO

/// The figures of an availability report in one statement, summed per row in the database: up
/// and down seconds following a ``ReadingPlan``, and the number and duration of the outages that
/// did not begin in maintenance (docs/architecture.md, point 10).
enum AvailabilitySQL {
    /// The rows of the devices in scope (`regions`, `nil`: every device) grouped `by`, unsorted.
    static func rows(
        window: ReportWindow, by grouping: ReportGrouping, regions: Set<String>?, plan: ReadingPlan,
        maintenance: MaintenancePeriods, on connection: PostgresConnection, logger: Logger
    ) async throws -> [AvailabilityRow] {
        let limited = regions != nil
        let (key, name) = Self.keyAndName(grouping)
        let skipped = plan.skippedHours
        let spans = plan.spans
        let periods = maintenance.byDevice.flatMap { device, periods in periods.map { (device, $0) } }
        let wholeHours = Int(plan.endHour.timeIntervalSince(plan.firstHour) / 3_600)
        // The whole hours less the skipped ones are summed apart: an anti-join against the skipped
        // pairs sorts every hour bucket of the range, two sums hash them; the same pass counts
        // the hours each device has, sparing most probes for hours between outages (see
        // OutageSQL.episodesCTE). The episodes are found
        // for every device unless the scope is limited: a semi-join probes each device's index
        // apart, slower than reading the partial index once.
        let rows = try await connection.query(
            """
            WITH scope AS (
                SELECT d.id, \(unescaped: key) AS key, \(unescaped: name) AS name
                FROM standalone_devices d LEFT JOIN branches b ON b.id = d.branch_id
                WHERE NOT \(limited) OR b.region = ANY(\(Array(regions ?? [])))
            ), whole AS (
                SELECT h.device_id, sum(h.up_seconds::float8) AS up, sum(h.down_seconds::float8) AS down,
                    count(*) AS hours
                FROM ping_rollup_1h h
                WHERE h.bucket >= \(plan.firstHour) AND h.bucket < \(plan.endHour)
                GROUP BY h.device_id
            ), covered AS (
                SELECT device_id AS id FROM whole WHERE hours = \(wholeHours)
            ), \(unescaped: OutageSQL.episodesCTE(window, wanted: limited ? "scope" : nil, covered: "covered")),
            skipped AS (
                SELECT h.device_id, sum(h.up_seconds::float8) AS up, sum(h.down_seconds::float8) AS down
                FROM unnest(\(skipped.map { $0.device })::uuid[], \(skipped.map { $0.hour })::timestamptz[])
                    AS x(device_id, hour)
                JOIN ping_rollup_1h h ON h.device_id = x.device_id AND h.bucket = x.hour
                GROUP BY h.device_id
            ), spans AS (
                SELECT r.device_id, sum(n.up_seconds * w.weight) AS up, sum(n.down_seconds * w.weight) AS down
                FROM unnest(\(spans.map { $0.device })::uuid[], \(spans.map { $0.start })::timestamptz[],
                            \(spans.map { $0.end })::timestamptz[]) AS r(device_id, s, e)
                JOIN ping_rollup_1m n ON n.device_id = r.device_id
                    AND n.bucket > r.s - interval '1 minute' AND n.bucket < r.e
                CROSS JOIN LATERAL (
                    SELECT extract(epoch FROM LEAST(n.bucket + interval '1 minute', r.e) - GREATEST(n.bucket, r.s))::float8
                        / 60 AS weight
                ) w
                GROUP BY r.device_id
            ), maintenance AS (
                SELECT * FROM unnest(\(periods.map { $0.0 })::uuid[], \(periods.map { $0.1.start })::timestamptz[],
                                     \(periods.map { $0.1.end })::timestamptz[]) AS m(device_id, s, e)
            ), counted AS (
                SELECT e.device_id, count(*) AS outages, sum(extract(epoch FROM e.end_at - e.start_at)::float8) AS seconds
                FROM episodes e
                WHERE NOT EXISTS (
                    SELECT 1 FROM maintenance m WHERE m.device_id = e.device_id AND m.s <= e.start_at AND e.start_at < m.e)
                GROUP BY e.device_id
            )
            SELECT s.key, min(s.name), count(*),
                sum(coalesce(w.up, 0) - coalesce(k.up, 0) + coalesce(p.up, 0))::float8,
                sum(coalesce(w.down, 0) - coalesce(k.down, 0) + coalesce(p.down, 0))::float8,
                sum(coalesce(c.outages, 0))::int8, sum(coalesce(c.seconds, 0))::float8
            FROM scope s
            LEFT JOIN whole w ON w.device_id = s.id
            LEFT JOIN skipped k ON k.device_id = s.id
            LEFT JOIN spans p ON p.device_id = s.id
            LEFT JOIN counted c ON c.device_id = s.id
            GROUP BY s.key
            """, logger: logger)
        var result: [AvailabilityRow] = []
        for try await (key, name, devices, up, down, outages, outageSeconds) in rows.decode(
            (String, String, Int, Double, Double, Int, Double).self)
        {
            result.append(
                AvailabilityRow(
                    key: key, name: name, devices: devices, upSeconds: up, downSeconds: down, outages: outages,
                    outageSeconds: outageSeconds))
        }
        return result
    }

    /// The SQL of a row's key and name over `d` (`standalone_devices`) and `b` (`branches`), as
    /// ``ReportDevice/row(_:)`` has them.
    static func keyAndName(_ grouping: ReportGrouping) -> (key: String, name: String) {
        let none = "'\(ReportGrouping.ungrouped)'"
        return switch grouping {
        case .device: ("d.id::text", "d.name")
        case .branch: ("coalesce(b.name, \(none))", "coalesce(b.display_name, b.name, \(none))")
        case .region: ("coalesce(b.region, \(none))", "coalesce(b.region, \(none))")
        case .type: ("coalesce(d.device_type, \(none))", "coalesce(d.device_type, \(none))")
        }
    }
}
