import Foundation
import Logging
import OutpostRules
import PostgresNIO

/// Learns `metric_baselines` for some hours of week from `item_rollup_1h.avg_value` (the
/// item's number, or its rate per second for a counter).
enum ItemBaselineSQL {
    static func learn(
        hours: [Int], through: Date, learning: BaselineLearning, computedAt: Date, into step: inout BaselineStep,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        let read = BaselineHours.pooled(hours, learning: learning)
        let rows = try await connection.query(
            """
            SELECT item_id, device_id, \(unescaped: BaselineHours.hourOfWeekSQL("bucket")), avg_value
            FROM item_rollup_1h
            WHERE bucket >= \(through.addingTimeInterval(-learning.lookbackSeconds)) AND bucket < \(through)
                AND \(unescaped: BaselineHours.hourOfWeekSQL("bucket")) = ANY(\(read)) AND avg_value IS NOT NULL
            ORDER BY item_id
            """, logger: logger)
        var batch = Batch()
        var current: (item: UUID, device: UUID)?
        var means: [(hour: Int, value: Double)] = []
        func flush() {
            guard let current else { return }
            step.items += 1
            for (hour, baseline) in learning.baselines(from: means, for: hours) {
                batch.items.append(current.item)
                batch.devices.append(current.device)
                batch.hours.append(hour)
                batch.medians.append(baseline.median)
                batch.mads.append(baseline.mad)
                batch.samples.append(baseline.samples)
            }
        }
        for try await (item, device, hour, value) in rows.decode((UUID, UUID, Int, Double).self) {
            step.rollupRows += 1
            if item != current?.item {
                flush()
                current = (item, device)
                means.removeAll(keepingCapacity: true)
            }
            means.append((hour, value))
        }
        flush()
        try await connection.query("DELETE FROM metric_baselines WHERE hour_of_week = ANY(\(hours))", logger: logger)
        for start in stride(from: 0, to: batch.items.count, by: BaselineHours.insertChunk) {
            let range = start..<min(start + BaselineHours.insertChunk, batch.items.count)
            try await connection.query(
                """
                INSERT INTO metric_baselines (item_id, device_id, hour_of_week, median_value, mad_value, samples,
                    computed_at)
                SELECT b.i, b.d, b.h, b.m, b.a, b.n, \(computedAt)
                FROM unnest(\(Array(batch.items[range]))::uuid[], \(Array(batch.devices[range]))::uuid[],
                    \(Array(batch.hours[range]))::smallint[], \(Array(batch.medians[range]))::float8[],
                    \(Array(batch.mads[range]))::float8[], \(Array(batch.samples[range]))::int[]) AS b(i, d, h, m, a, n)
                JOIN monitoring_items mi ON mi.id = b.i AND mi.device_id = b.d
                """, logger: logger)
            step.baselineRows += range.count
        }
    }

    /// Rows to insert, as parallel arrays for `unnest`.
    struct Batch {
        var items: [UUID] = []
        var devices: [UUID] = []
        var hours: [Int] = []
        var medians: [Double] = []
        var mads: [Double] = []
        var samples: [Int] = []
    }
}
