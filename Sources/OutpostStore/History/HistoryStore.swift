import Foundation
import Logging
import PostgresNIO

/// Device and SNMP item history over a range at the resolution the range calls for (see
/// ``HistoryWindow``): charts of a device's RTT, loss and availability, of its numeric items,
/// and a branch's per-device summary. Reads raw rows for short ranges and the roll-ups of
/// ``RollupWriter`` otherwise (docs/architecture.md, "Schema decisions").
public struct HistoryStore: Sendable {
    let logger: Logger

    /// Creates the store.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// The ping chart of `device` over [`from`, `to`); an ``InputError`` for a range
    /// ``HistoryWindow`` refuses.
    public func pingHistory(device: UUID, from: Date, to: Date, on connection: PostgresConnection) async throws
        -> PingHistory
    {
        let window = try HistoryWindow(from: from, to: to)
        let step = window.bucketSeconds
        let rows: PostgresRowSequence
        if let table = window.rollupTable("ping") {
            rows = try await connection.query(
                """
                SELECT date_bin(make_interval(secs => \(step)), m.bucket, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS t,
                    min(m.min_rtt_ms)::float8,
                    sum(m.avg_rtt_ms * m.packets_received) FILTER (WHERE m.avg_rtt_ms IS NOT NULL)
                        / NULLIF(sum(m.packets_received) FILTER (WHERE m.avg_rtt_ms IS NOT NULL), 0),
                    max(m.max_rtt_ms)::float8,
                    (100.0 * (sum(m.packets_sent) - sum(m.packets_received)) / NULLIF(sum(m.packets_sent), 0))::float8,
                    sum(m.samples)::bigint, sum(m.up_seconds)::float8, sum(m.down_seconds)::float8
                FROM \(unescaped: table) m
                WHERE m.device_id = \(device) AND m.bucket >= \(window.firstBucket) AND m.bucket < \(window.to)
                GROUP BY t ORDER BY t
                """, logger: logger)
        } else {
            rows = try await connection.query(
                """
                SELECT date_bin(make_interval(secs => \(step)), r.timestamp, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS t,
                    min(r.min_rtt_ms)::float8,
                    sum(r.avg_rtt_ms::float8 * r.packets_received) FILTER (WHERE r.avg_rtt_ms IS NOT NULL)
                        / NULLIF(sum(r.packets_received) FILTER (WHERE r.avg_rtt_ms IS NOT NULL), 0),
                    max(r.max_rtt_ms)::float8,
                    (100.0 * (sum(r.packets_sent) - sum(r.packets_received)) / NULLIF(sum(r.packets_sent), 0))::float8,
                    count(*)::bigint,
                    (\(step)::float8 * count(*) FILTER (WHERE r.is_reachable) / count(*)),
                    (\(step)::float8 * count(*) FILTER (WHERE NOT r.is_reachable) / count(*))
                FROM ping_results r
                WHERE r.device_id = \(device) AND r.timestamp >= \(window.from) AND r.timestamp < \(window.to)
                GROUP BY t ORDER BY t
                """, logger: logger)
        }
        var points: [PingHistoryPoint] = []
        for try await (time, minRTT, avgRTT, maxRTT, loss, samples, up, down) in rows.decode(
            (Date, Double?, Double?, Double?, Double?, Int, Double, Double).self)
        {
            points.append(
                PingHistoryPoint(
                    time: time, minRTT: minRTT, avgRTT: avgRTT, maxRTT: maxRTT, lossPercent: loss.map(Self.percent),
                    samples: samples, upSeconds: up, downSeconds: down))
        }
        return PingHistory(
            resolution: window.resolution, bucketSeconds: step, from: window.from, to: window.to, points: points)
    }

    /// A loss share clamped to 0...100 (a round may report more replies than probes).
    static func percent(_ value: Double) -> Double {
        min(100, max(0, value))
    }
}
