import Foundation
import Logging
import OutpostRules
import PostgresNIO

/// Learns `performance_baselines` for some hours of week from `ping_rollup_1h`: the RTT baseline
/// from `avg_rtt_ms` (hours with replies), the loss baseline from `loss_percent`.
enum PingBaselineSQL {
    static func learn(
        hours: [Int], through: Date, learning: BaselineLearning, computedAt: Date, into step: inout BaselineStep,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        let read = BaselineHours.pooled(hours, learning: learning)
        let rows = try await connection.query(
            """
            SELECT device_id, \(unescaped: BaselineHours.hourOfWeekSQL("bucket")), avg_rtt_ms, loss_percent::float8
            FROM ping_rollup_1h
            WHERE bucket >= \(through.addingTimeInterval(-learning.lookbackSeconds)) AND bucket < \(through)
                AND \(unescaped: BaselineHours.hourOfWeekSQL("bucket")) = ANY(\(read))
            ORDER BY device_id
            """, logger: logger)
        var batch = Batch()
        var device: UUID?
        var rtt: [(hour: Int, value: Double)] = []
        var loss: [(hour: Int, value: Double)] = []
        func flush() {
            guard let device else { return }
            step.devices += 1
            let rttBaselines = learning.baselines(from: rtt, for: hours)
            let lossBaselines = learning.baselines(from: loss, for: hours)
            for hour in hours where rttBaselines[hour] != nil || lossBaselines[hour] != nil {
                batch.append(device: device, hour: hour, rtt: rttBaselines[hour], loss: lossBaselines[hour])
            }
        }
        for try await (id, hour, avgRTT, lossPercent) in rows.decode((UUID, Int, Double?, Double?).self) {
            step.rollupRows += 1
            if id != device {
                flush()
                device = id
                rtt.removeAll(keepingCapacity: true)
                loss.removeAll(keepingCapacity: true)
            }
            if let avgRTT { rtt.append((hour, avgRTT)) }
            if let lossPercent { loss.append((hour, lossPercent)) }
        }
        flush()
        try await connection.query(
            "DELETE FROM performance_baselines WHERE hour_of_week = ANY(\(hours))", logger: logger)
        for chunk in batch.chunks(of: BaselineHours.insertChunk) {
            try await connection.query(
                """
                INSERT INTO performance_baselines (device_id, hour_of_week, rtt_median_ms, rtt_mad_ms, rtt_samples,
                    loss_median_percent, loss_mad_percent, loss_samples, computed_at)
                SELECT d, h, NULLIF(rm, 'NaN'), NULLIF(rd, 'NaN'), rn, NULLIF(lm, 'NaN'), NULLIF(ld, 'NaN'), ln, \(computedAt)
                FROM unnest(\(chunk.devices)::uuid[], \(chunk.hours)::smallint[], \(chunk.rttMedians)::float8[],
                    \(chunk.rttMADs)::float8[], \(chunk.rttSamples)::int[], \(chunk.lossMedians)::float8[],
                    \(chunk.lossMADs)::float8[], \(chunk.lossSamples)::int[]) AS b(d, h, rm, rd, rn, lm, ld, ln)
                JOIN standalone_devices s ON s.id = b.d
                """, logger: logger)
            step.baselineRows += chunk.devices.count
        }
    }

    /// Rows to insert, as parallel arrays for `unnest` (NaN for a missing median or MAD).
    struct Batch {
        var devices: [UUID] = []
        var hours: [Int] = []
        var rttMedians: [Double] = []
        var rttMADs: [Double] = []
        var rttSamples: [Int] = []
        var lossMedians: [Double] = []
        var lossMADs: [Double] = []
        var lossSamples: [Int] = []

        mutating func append(device: UUID, hour: Int, rtt: RuleBaseline?, loss: RuleBaseline?) {
            devices.append(device)
            hours.append(hour)
            rttMedians.append(rtt?.median ?? .nan)
            rttMADs.append(rtt?.mad ?? .nan)
            rttSamples.append(rtt?.samples ?? 0)
            lossMedians.append(loss?.median ?? .nan)
            lossMADs.append(loss?.mad ?? .nan)
            lossSamples.append(loss?.samples ?? 0)
        }

        func chunks(of size: Int) -> [Batch] {
            stride(from: 0, to: devices.count, by: size).map { start in
                let range = start..<min(start + size, devices.count)
                return Batch(
                    devices: Array(devices[range]), hours: Array(hours[range]), rttMedians: Array(rttMedians[range]),
                    rttMADs: Array(rttMADs[range]), rttSamples: Array(rttSamples[range]),
                    lossMedians: Array(lossMedians[range]), lossMADs: Array(lossMADs[range]),
                    lossSamples: Array(lossSamples[range]))
            }
        }
    }
}
