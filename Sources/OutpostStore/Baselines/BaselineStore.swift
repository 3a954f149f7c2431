import Foundation
import Logging
import OutpostRules
import PostgresNIO

/// Reads the baselines the job stored: a device's all (operators) and, for the alert engine,
/// the baselines of one hour of week of many devices as rule variables.
public struct BaselineStore: Sendable {
    let logger: Logger

    /// Creates the store.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Every stored baseline of `device`; `nil` when there is no such device.
    public func baselines(device: UUID, on connection: PostgresConnection) async throws -> DeviceBaselines? {
        let exists = try await connection.query(
            "SELECT count(*)::bigint FROM standalone_devices WHERE id = \(device)", logger: logger)
        for try await count in exists.decode(Int.self) where count == 0 { return nil }
        let through = try await BaselineWriter(logger: logger).progress(on: connection)
        let pingRows = try await connection.query(
            """
            SELECT hour_of_week::int, rtt_median_ms, rtt_mad_ms, rtt_samples, loss_median_percent, loss_mad_percent,
                loss_samples, computed_at
            FROM performance_baselines WHERE device_id = \(device) ORDER BY hour_of_week
            """, logger: logger)
        var ping: [DeviceBaselines.PingHour] = []
        for try await (hour, rttMedian, rttMAD, rttSamples, lossMedian, lossMAD, lossSamples, computedAt)
            in pingRows.decode((Int, Double?, Double?, Int, Double?, Double?, Int, Date).self)
        {
            ping.append(
                .init(
                    hourOfWeek: hour, rttMedianMs: rttMedian, rttMADMs: rttMAD, rttSamples: rttSamples,
                    lossMedianPercent: lossMedian, lossMADPercent: lossMAD, lossSamples: lossSamples,
                    computedAt: computedAt))
        }
        let itemRows = try await connection.query(
            """
            SELECT b.item_id, COALESCE(i.name, i.oid_name), b.hour_of_week::int, b.median_value, b.mad_value, b.samples,
                b.computed_at
            FROM metric_baselines b JOIN monitoring_items i ON i.id = b.item_id
            WHERE b.device_id = \(device) ORDER BY 2, b.item_id, b.hour_of_week
            """, logger: logger)
        var items: [DeviceBaselines.ItemHour] = []
        for try await (item, name, hour, median, mad, samples, computedAt) in itemRows.decode(
            (UUID, String, Int, Double, Double, Int, Date).self)
        {
            items.append(
                .init(
                    itemID: item, itemName: name, hourOfWeek: hour, median: median, mad: mad, samples: samples,
                    computedAt: computedAt))
        }
        return DeviceBaselines(deviceID: device, computedThrough: through, ping: ping, items: items)
    }

    /// The baselines of hour of week `hour` of `devices`, by device and rule variable: `rtt` and
    /// `packet_loss` (with their minimum spreads, see `BaselineVariables`) and each item's name.
    /// A device without any baseline in that hour is absent.
    public func ruleBaselines(devices: [UUID], hour: Int, on connection: PostgresConnection) async throws
        -> [UUID: [String: RuleBaseline]]
    {
        var result: [UUID: [String: RuleBaseline]] = [:]
        guard !devices.isEmpty else { return result }
        let pingRows = try await connection.query(
            """
            SELECT device_id, rtt_median_ms, rtt_mad_ms, rtt_samples, loss_median_percent, loss_mad_percent, loss_samples
            FROM performance_baselines WHERE device_id = ANY(\(devices)) AND hour_of_week = \(hour)
            """, logger: logger)
        for try await (device, rttMedian, rttMAD, rttSamples, lossMedian, lossMAD, lossSamples) in pingRows.decode(
            (UUID, Double?, Double?, Int, Double?, Double?, Int).self)
        {
            if let rttMedian, let rttMAD {
                result[device, default: [:]][BaselineVariables.rtt] = RuleBaseline(
                    median: rttMedian, mad: rttMAD, samples: rttSamples,
                    minimumSpread: BaselineVariables.rttMinimumSpread)
            }
            if let lossMedian, let lossMAD {
                result[device, default: [:]][BaselineVariables.loss] = RuleBaseline(
                    median: lossMedian, mad: lossMAD, samples: lossSamples,
                    minimumSpread: BaselineVariables.lossMinimumSpread)
            }
        }
        let itemRows = try await connection.query(
            """
            SELECT b.device_id, COALESCE(i.name, i.oid_name), b.median_value, b.mad_value, b.samples
            FROM metric_baselines b JOIN monitoring_items i ON i.id = b.item_id
            WHERE b.device_id = ANY(\(devices)) AND b.hour_of_week = \(hour)
            """, logger: logger)
        for try await (device, name, median, mad, samples) in itemRows.decode((UUID, String, Double, Double, Int).self)
        {
            result[device, default: [:]][name] = RuleBaseline(median: median, mad: mad, samples: samples)
        }
        return result
    }
}
