import Foundation
import Logging
import PostgresNIO

/// An alert rule as read for a change: the view, its branch id and its `notification_channels`
/// as stored (entries other than webhooks and e-mail are kept when those are rewritten).
struct StoredAlertRule: Sendable {
    let view: AlertRuleRecordView
    let branchID: UUID?
    let channelsJSON: String

    /// The audited fields, by API name.
    var auditValues: [String: AuditValue] {
        [
            "name": .text(view.name), "description": .optional(view.description),
            "expression": .text(view.expression), "severity": .text(view.severity), "enabled": .bool(view.enabled),
            "device_id": .optional(view.deviceID?.uuidString.lowercased()), "branch": .optional(view.branchName),
            "device_group": .optional(view.deviceGroup), "webhooks": .texts(view.webhooks),
            "email_recipients": .texts(view.emailRecipients), "trace": .bool(view.trace),
        ]
    }

    /// The rule with this id, or every rule (oldest first) when `id` is nil.
    static func fetch(id: UUID? = nil, logger: Logger, on connection: PostgresConnection) async throws
        -> [StoredAlertRule]
    {
        let rows = try await connection.query(
            """
            SELECT r.id, r.name, r.description, r.expression, r.severity, r.enabled, r.device_id, d.name,
                   r.branch_id, b.name, r.device_group,
                   COALESCE(r.notification_channels, '[]'::jsonb)::text,
                   COALESCE(r.notification_recipients, '[]'::jsonb)::text, r.created_at, r.updated_at
            FROM alert_rules r
            LEFT JOIN standalone_devices d ON d.id = r.device_id
            LEFT JOIN branches b ON b.id = r.branch_id
            WHERE \(id)::uuid IS NULL OR r.id = \(id)
            ORDER BY r.created_at, r.id
            """, logger: logger)
        var rules: [StoredAlertRule] = []
        for try await (
            id, name, description, expression, severity, enabled, deviceID, deviceName, branchID, branchName, group,
            channels, recipients, created, updated
        ) in rows.decode(
            (
                UUID, String, String?, String, String, Bool, UUID?, String?, UUID?, String?, String?, String, String,
                Date, Date?
            ).self)
        {
            let view = AlertRuleRecordView(
                id: id, name: name, description: description, expression: expression, severity: severity,
                enabled: enabled, deviceID: deviceID, deviceName: deviceName, branchName: branchName,
                deviceGroup: group, webhooks: AlertRuleStore.webhooks(in: channels),
                emailRecipients: AlertRuleStore.emailRecipients(channels: channels, recipients: recipients),
                trace: AlertRuleStore.traces(in: channels), createdAt: created, updatedAt: updated)
            rules.append(StoredAlertRule(view: view, branchID: branchID, channelsJSON: channels))
        }
        return rules
    }

    /// `notification_channels` holding `webhooks`, if any one e-mail channel to `emailRecipients`,
    /// and with `trace` the trace action, after the entries of `existing` that are none of these
    /// (`notification_recipients` is then written empty: the addresses are all in the channel).
    static func channels(webhooks: [String], emailRecipients: [String], trace: Bool, existing: String) throws
        -> String
    {
        let old = (try? JSONSerialization.jsonObject(with: Data(existing.utf8)) as? [Any]) ?? []
        var entries: [Any] = old.filter { entry in
            if let bare = entry as? String { return !["email", "trace"].contains(bare.lowercased()) }
            let type = (entry as? [String: Any])?["type"] as? String
            return type != "webhook" && type != "email" && type != "trace"
        }
        entries += webhooks.map { ["type": "webhook", "url": $0] as [String: Any] }
        if !emailRecipients.isEmpty { entries.append(["type": "email", "to": emailRecipients] as [String: Any]) }
        if trace { entries.append(["type": "trace"] as [String: Any]) }
        let data = try JSONSerialization.data(withJSONObject: entries, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
