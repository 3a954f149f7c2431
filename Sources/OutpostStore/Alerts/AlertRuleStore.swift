import Foundation
import Logging
import OutpostCore
import OutpostRules
import PostgresNIO

/// Reads `alert_rules` and writes `alert_history` for the collector's alert engine.
public struct AlertRuleStore: Sendable {
    /// Types of the variables the engine provides that are not numbers.
    public static let declaredTypes: [String: RuleValueType] = [
        "ip": .string, "isp_link": .boolean, "path_changed": .boolean,
    ]
    /// The channel a trigger notifies on every change to `alert_rules` (migration 6).
    public static let changeChannel = "outpost_alert_rules"

    /// INSERT … RETURNING returned nothing (cannot happen unless the statement is changed).
    struct NoRowReturned: Error {}

    let logger: Logger

    /// Creates a store logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Every enabled rule, parsed: those that parse and those refused with their error.
    public func loadRules(on connection: PostgresConnection) async throws -> (
        rules: [LoadedAlertRule], rejected: [RejectedAlertRule]
    ) {
        let rows = try await connection.query(
            """
            SELECT id, name, expression, severity, device_id, branch_id, device_group,
                   COALESCE(notification_channels, '[]'::jsonb)::text AS channels,
                   COALESCE(notification_recipients, '[]'::jsonb)::text AS recipients
            FROM alert_rules WHERE enabled ORDER BY created_at, id
            """, logger: logger)
        var rules: [LoadedAlertRule] = []
        var rejected: [RejectedAlertRule] = []
        for try await (id, name, expression, severity, deviceID, branchID, group, channels, recipients)
            in rows.decode((UUID, String, String, String, UUID?, UUID?, String?, String, String).self)
        {
            let record = AlertRuleRecord(
                id: id, name: name, expression: expression, severity: severity,
                scope: AlertRuleScope(deviceID: deviceID, branchID: branchID, deviceGroup: group),
                webhooks: Self.webhooks(in: channels),
                emailRecipients: Self.emailRecipients(channels: channels, recipients: recipients),
                traces: Self.traces(in: channels))
            do {
                rules.append(
                    LoadedAlertRule(record: record, rule: try AlertRule(expression, declaredTypes: Self.declaredTypes)))
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

    /// Whether a `notification_channels` JSON array holds the `trace` action (`{"type": "trace"}`,
    /// or the bare string `"trace"`).
    static func traces(in json: String) -> Bool {
        guard let array = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [Any] else { return false }
        return array.contains { entry in
            (entry as? String)?.lowercased() == "trace" || (entry as? [String: Any])?["type"] as? String == "trace"
        }
    }

    /// The addresses of a rule with an e-mail channel (`{"type": "email"}`, or the bare string
    /// `"email"` of legacy rows): the channel's `to` (a string or an array) and the
    /// `notification_recipients` (strings, or objects with an `email`), without duplicates.
    static func emailRecipients(channels: String, recipients: String) -> [String] {
        guard let array = try? JSONSerialization.jsonObject(with: Data(channels.utf8)) as? [Any] else { return [] }
        let emailChannels = array.compactMap { $0 as? [String: Any] }.filter { $0["type"] as? String == "email" }
        let bareEmail = array.contains { ($0 as? String)?.lowercased() == "email" }
        guard !emailChannels.isEmpty || bareEmail else { return [] }
        var addresses: [String] = []
        for channel in emailChannels {
            if let one = channel["to"] as? String { addresses.append(one) }
            addresses += channel["to"] as? [String] ?? []
        }
        let listed = (try? JSONSerialization.jsonObject(with: Data(recipients.utf8)) as? [Any]) ?? []
        for entry in listed {
            if let address = entry as? String { addresses.append(address) }
            if let address = (entry as? [String: Any])?["email"] as? String { addresses.append(address) }
        }
        var seen = Set<String>()
        return addresses.filter { seen.insert($0.lowercased()).inserted }
    }

    /// Name, branch, type and branch edge router of each of `ids` that exists.
    public func devices(_ ids: [UUID], on connection: PostgresConnection) async throws -> [AlertDeviceInfo] {
        let rows = try await connection.query(
            """
            SELECT d.id, d.name, d.branch_id, d.device_type, b.gateway_device_id,
                   EXISTS (SELECT 1 FROM device_interfaces i WHERE i.device_id = d.id AND i.missing_since IS NULL
                           AND coalesce(i.isp_override, i.isp_provider IS NOT NULL))
            FROM standalone_devices d LEFT JOIN branches b ON b.id = d.branch_id
            WHERE d.id = ANY(\(ids))
            """, logger: logger)
        var devices: [AlertDeviceInfo] = []
        for try await (id, name, branch, type, gateway, isp) in rows.decode(
            (UUID, String, UUID?, String?, UUID?, Bool).self)
        {
            devices.append(
                AlertDeviceInfo(
                    id: id, name: name, branchID: branch, deviceType: type, gatewayID: gateway, isISPLink: isp))
        }
        return devices
    }

    /// The rule variable name of each monitoring item of `devices`: its template key, else its `oid_name`.
    public func itemNames(devices: [UUID], on connection: PostgresConnection) async throws -> [UUID: String] {
        let rows = try await connection.query(
            "SELECT id, COALESCE(name, oid_name) FROM monitoring_items WHERE device_id = ANY(\(devices))",
            logger: logger)
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
        let rows = try await connection.query(
            """
            SELECT device_ip, timestamp, packets_sent, packets_received, min_rtt_ms, avg_rtt_ms, max_rtt_ms, stddev_rtt_ms
            FROM (SELECT * FROM ping_results
                  WHERE device_id = \(device.uuid) AND timestamp < \(before) AND timestamp >= \(since)
                  ORDER BY timestamp DESC LIMIT \(limit)) newest
            ORDER BY timestamp
            """, logger: logger)
        var rounds: [PingRoundResult] = []
        for try await (ip, time, sent, received, minimum, average, maximum, deviation)
            in rows.decode((String, Date, Int32, Int32, Float?, Float?, Float?, Float?).self)
        {
            rounds.append(
                PingRoundResult(
                    deviceID: device, deviceIP: ip, timestamp: time, packetsSent: Int(sent),
                    packetsReceived: Int(received),
                    minRTT: minimum.map(Double.init), avgRTT: average.map(Double.init),
                    maxRTT: maximum.map(Double.init),
                    stddevRTT: deviation.map(Double.init)))
        }
        return rounds
    }

    /// The unresolved `alert_history` rows (episodes and flapping periods) of the devices in
    /// `scopes` (branch ids, or ids of devices without a branch; see `AlertDeviceInfo.leaseScope`).
    public func openAlerts(scopes: [UUID], on connection: PostgresConnection) async throws -> [OpenAlertEpisode] {
        let rows = try await connection.query(
            """
            SELECT h.id, h.rule_id, h.device_id, h.kind = 'flapping', h.suppressed_by,
                   jsonb_array_length(COALESCE(h.notifications_sent, '[]'::jsonb)) > 0
            FROM alert_history h JOIN standalone_devices d ON d.id = h.device_id
            WHERE h.resolved_at IS NULL AND COALESCE(d.branch_id, d.id) = ANY(\(scopes))
            """, logger: logger)
        var open: [OpenAlertEpisode] = []
        for try await (id, rule, device, flapping, suppressedBy, notified) in rows.decode(
            (UUID, UUID, UUID, Bool, UUID?, Bool).self)
        {
            open.append(
                OpenAlertEpisode(
                    historyID: id, ruleID: rule, deviceID: device, isFlapping: flapping, suppressedBy: suppressedBy,
                    notified: notified))
        }
        return open
    }

    /// Records a rule firing for a device (`flapping`: a flapping period starting instead);
    /// `inMaintenance`: the device is in a maintenance window (the row is kept, nobody is paged).
    /// Returns the new `alert_history.id`.
    public func insertFiring(
        rule: AlertRuleRecord, deviceID: UUID, message: String, value: String?, at time: Date,
        suppressedBy: UUID? = nil,
        flapping: Bool = false, inMaintenance: Bool = false, on connection: PostgresConnection
    ) async throws -> UUID {
        let value = value.map { String($0.prefix(100)) }
        let kind = flapping ? "flapping" : "alert"
        let rows = try await connection.query(
            """
            INSERT INTO alert_history (rule_id, device_id, severity, message, value, rule_name, threshold, triggered_at, kind,
                                       suppressed_by, in_maintenance)
            VALUES (\(rule.id), \(deviceID), \(rule.severity), \(message), \(value), \(rule.name), \(rule.expression), \(time),
                    \(kind), \(suppressedBy), \(inMaintenance))
            RETURNING id
            """, logger: logger)
        for try await id in rows.decode(UUID.self) { return id }
        throw NoRowReturned()
    }

    /// Sets `standalone_devices.is_flapping`.
    public func setFlapping(device: UUID, _ flapping: Bool, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE standalone_devices SET is_flapping = \(flapping) WHERE id = \(device)", logger: logger)
    }

    /// Sets `resolved_at` of an open episode (never before its `triggered_at`).
    public func resolve(historyID: UUID, at time: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE alert_history SET resolved_at = GREATEST(\(time), triggered_at)
            WHERE id = \(historyID) AND resolved_at IS NULL
            """, logger: logger)
    }

    /// Appends one notification attempt (a JSON object) to `alert_history.notifications_sent`.
    public func recordNotification(historyID: UUID, attemptJSON: String, on connection: PostgresConnection) async throws
    {
        try await connection.query(
            """
            UPDATE alert_history SET notifications_sent = COALESCE(notifications_sent, '[]'::jsonb) || jsonb_build_array(\(attemptJSON)::jsonb)
            WHERE id = \(historyID)
            """, logger: logger)
    }
}
