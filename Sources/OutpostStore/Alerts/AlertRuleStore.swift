import Foundation
import Logging
import OutpostCore
import PostgresNIO

/// Reads `alert_rules` and writes `alert_history` for the collector's alert engine.
public struct AlertRuleStore: Sendable {
    /// Types of the variables the engine provides that are not numbers.
    public static let declaredTypes: [String: RuleValueType] = ["ip": .string]
    /// The channel a trigger notifies on every change to `alert_rules` (migration 6).
    public static let changeChannel = "outpost_alert_rules"

    /// INSERT … RETURNING returned nothing (cannot happen unless the statement is changed).
    struct NoRowReturned: Error {}

    private let logger: Logger

    /// Creates a store logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Every enabled rule, parsed: those that parse and those refused with their error.
    public func loadRules(on connection: PostgresConnection) async throws -> (rules: [LoadedAlertRule], rejected: [RejectedAlertRule]) {
        let rows = try await connection.query("""
            SELECT id, name, expression, severity, device_id, branch_id, device_group,
                   COALESCE(notification_channels, '[]'::jsonb)::text AS channels
            FROM alert_rules WHERE enabled ORDER BY created_at, id
            """, logger: logger)
        var rules: [LoadedAlertRule] = []
        var rejected: [RejectedAlertRule] = []
        for try await (id, name, expression, severity, deviceID, branchID, group, channels)
            in rows.decode((UUID, String, String, String, UUID?, UUID?, String?, String).self) {
            let record = AlertRuleRecord(
                id: id, name: name, expression: expression, severity: severity,
                scope: AlertRuleScope(deviceID: deviceID, branchID: branchID, deviceGroup: group),
                webhooks: Self.webhooks(in: channels))
            do {
                rules.append(LoadedAlertRule(record: record, rule: try AlertRule(expression, declaredTypes: Self.declaredTypes)))
            } catch {
                rejected.append(RejectedAlertRule(record: record, error: error))
            }
        }
        return (rules, rejected)
    }

    /// The webhook URLs of a `notification_channels` JSON array; other entries are ignored.
    static func webhooks(in json: String) -> [String] {
        guard let array = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [Any] else { return [] }
        return array.compactMap { entry in
            guard let channel = entry as? [String: Any], channel["type"] as? String == "webhook" else { return nil }
            return channel["url"] as? String
        }
    }

    /// Name, branch and type of each of `ids` that exists.
    public func devices(_ ids: [UUID], on connection: PostgresConnection) async throws -> [AlertDeviceInfo] {
        let rows = try await connection.query(
            "SELECT id, name, branch_id, device_type FROM standalone_devices WHERE id = ANY(\(ids))", logger: logger)
        var devices: [AlertDeviceInfo] = []
        for try await (id, name, branch, type) in rows.decode((UUID, String, UUID?, String?).self) {
            devices.append(AlertDeviceInfo(id: id, name: name, branchID: branch, deviceType: type))
        }
        return devices
    }

    /// The rule variable name of each monitoring item of `devices`: its template key, else its `oid_name`.
    public func itemNames(devices: [UUID], on connection: PostgresConnection) async throws -> [UUID: String] {
        let rows = try await connection.query(
            "SELECT id, COALESCE(name, oid_name) FROM monitoring_items WHERE device_id = ANY(\(devices))", logger: logger)
        var names: [UUID: String] = [:]
        for try await (id, name) in rows.decode((UUID, String).self) { names[id] = name }
        return names
    }

    /// The device's ping rounds in `[before - seconds, before)`, at most the newest `limit`, oldest
    /// first: what the engine replays into a device's windows when it first sees the device
    /// (after a restart, `ping_unreachable` keeps counting instead of starting again at 1).
    public func recentPings(
        device: DeviceID, before: Date, seconds: Double, limit: Int, on connection: PostgresConnection
    ) async throws -> [PingRoundResult] {
        let since = before.addingTimeInterval(-seconds)
        let rows = try await connection.query("""
            SELECT device_ip, timestamp, packets_sent, packets_received, min_rtt_ms, avg_rtt_ms, max_rtt_ms, stddev_rtt_ms
            FROM (SELECT * FROM ping_results
                  WHERE device_id = \(device.uuid) AND timestamp < \(before) AND timestamp >= \(since)
                  ORDER BY timestamp DESC LIMIT \(limit)) newest
            ORDER BY timestamp
            """, logger: logger)
        var rounds: [PingRoundResult] = []
        for try await (ip, time, sent, received, minimum, average, maximum, deviation)
            in rows.decode((String, Date, Int32, Int32, Float?, Float?, Float?, Float?).self) {
            rounds.append(PingRoundResult(
                deviceID: device, deviceIP: ip, timestamp: time, packetsSent: Int(sent), packetsReceived: Int(received),
                minRTT: minimum.map(Double.init), avgRTT: average.map(Double.init), maxRTT: maximum.map(Double.init),
                stddevRTT: deviation.map(Double.init)))
        }
        return rounds
    }

    /// Every unresolved `alert_history` row.
    public func openAlerts(on connection: PostgresConnection) async throws -> [OpenAlertEpisode] {
        let rows = try await connection.query(
            "SELECT id, rule_id, device_id FROM alert_history WHERE resolved_at IS NULL AND device_id IS NOT NULL", logger: logger)
        var open: [OpenAlertEpisode] = []
        for try await (id, rule, device) in rows.decode((UUID, UUID, UUID).self) {
            open.append(OpenAlertEpisode(historyID: id, ruleID: rule, deviceID: device))
        }
        return open
    }

    /// Records a rule firing for a device; returns the new `alert_history.id`.
    public func insertFiring(
        rule: AlertRuleRecord, deviceID: UUID, message: String, value: String?, at time: Date, on connection: PostgresConnection
    ) async throws -> UUID {
        let value = value.map { String($0.prefix(100)) }
        let rows = try await connection.query("""
            INSERT INTO alert_history (rule_id, device_id, severity, message, value, rule_name, threshold, triggered_at)
            VALUES (\(rule.id), \(deviceID), \(rule.severity), \(message), \(value), \(rule.name), \(rule.expression), \(time))
            RETURNING id
            """, logger: logger)
        for try await id in rows.decode(UUID.self) { return id }
        throw NoRowReturned()
    }

    /// Sets `resolved_at` of an open episode (never before its `triggered_at`).
    public func resolve(historyID: UUID, at time: Date, on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE alert_history SET resolved_at = GREATEST(\(time), triggered_at)
            WHERE id = \(historyID) AND resolved_at IS NULL
            """, logger: logger)
    }

    /// Appends one notification attempt (a JSON object) to `alert_history.notifications_sent`.
    public func recordNotification(historyID: UUID, attemptJSON: String, on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE alert_history SET notifications_sent = COALESCE(notifications_sent, '[]'::jsonb) || jsonb_build_array(\(attemptJSON)::jsonb)
            WHERE id = \(historyID)
            """, logger: logger)
    }
}
