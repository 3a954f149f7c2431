import Foundation
import PostgresNIO

extension HistoryStore {
    /// Every device of `branch` with its RTT, loss and availability over [`from`, `to`), by
    /// name (a device without rounds in the range has `samples` 0 and no figures); an
    /// ``InputError`` for a range ``HistoryWindow`` refuses.
    public func branchSummary(branch: UUID, from: Date, to: Date, on connection: PostgresConnection) async throws
        -> [DeviceHistorySummary]
    {
        let window = try HistoryWindow(from: from, to: to)
        let rows: PostgresRowSequence
        if let table = window.rollupTable("ping") {
            rows = try await connection.query(
                """
                SELECT d.id, d.name, d.ip, f.avg_rtt, f.max_rtt,
                    (100.0 * (f.sent - f.received) / NULLIF(f.sent, 0))::float8,
                    (100.0 * f.up / NULLIF(f.up + f.down, 0))::float8, f.samples::bigint
                FROM standalone_devices d CROSS JOIN LATERAL (
                    SELECT sum(m.avg_rtt_ms * m.packets_received) FILTER (WHERE m.avg_rtt_ms IS NOT NULL)
                            / NULLIF(sum(m.packets_received) FILTER (WHERE m.avg_rtt_ms IS NOT NULL), 0) AS avg_rtt,
                        max(m.max_rtt_ms)::float8 AS max_rtt, sum(m.packets_sent) AS sent,
                        sum(m.packets_received) AS received, sum(m.up_seconds) AS up, sum(m.down_seconds) AS down,
                        COALESCE(sum(m.samples), 0) AS samples
                    FROM \(unescaped: table) m
                    WHERE m.device_id = d.id AND m.bucket >= \(window.firstBucket) AND m.bucket < \(window.to)
                ) f
                WHERE d.branch_id = \(branch)
                ORDER BY d.name, d.id
                """, logger: logger)
        } else {
            rows = try await connection.query(
                """
                SELECT d.id, d.name, d.ip, f.avg_rtt, f.max_rtt,
                    (100.0 * (f.sent - f.received) / NULLIF(f.sent, 0))::float8,
                    (100.0 * f.reachable / NULLIF(f.samples, 0))::float8, f.samples::bigint
                FROM standalone_devices d CROSS JOIN LATERAL (
                    SELECT sum(r.avg_rtt_ms::float8 * r.packets_received) FILTER (WHERE r.avg_rtt_ms IS NOT NULL)
                            / NULLIF(sum(r.packets_received) FILTER (WHERE r.avg_rtt_ms IS NOT NULL), 0) AS avg_rtt,
                        max(r.max_rtt_ms)::float8 AS max_rtt, sum(r.packets_sent) AS sent,
                        sum(r.packets_received) AS received, count(*) FILTER (WHERE r.is_reachable) AS reachable,
                        count(*) AS samples
                    FROM ping_results r
                    WHERE r.device_id = d.id AND r.timestamp >= \(window.from) AND r.timestamp < \(window.to)
                ) f
                WHERE d.branch_id = \(branch)
                ORDER BY d.name, d.id
                """, logger: logger)
        }
        var devices: [DeviceHistorySummary] = []
        for try await (id, name, ip, avgRTT, maxRTT, loss, availability, samples) in rows.decode(
            (UUID, String, String, Double?, Double?, Double?, Double?, Int).self)
        {
            devices.append(
                DeviceHistorySummary(
                    deviceID: id, name: name, ip: ip, avgRTT: avgRTT, maxRTT: maxRTT,
                    lossPercent: loss.map(Self.percent), availabilityPercent: availability, samples: samples))
        }
        return devices
    }
}
