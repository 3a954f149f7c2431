import Crypto
import Foundation
import OutpostStore
import PostgresNIO

/// `alert_history` → `alert_history`, open and resolved alike. Outpost requires a rule: an
/// alert whose rule is NULL (raised by the legacy ping task) or was deleted is attached to a
/// disabled placeholder rule named after the alert's `rule_name` (listed in the report).
enum AlertHistoryMapping {
    static let columns = [
        "id", "rule_id", "device_id", "rule_name", "severity", "message", "value", "threshold", "triggered_at",
        "acknowledged", "acknowledged_at", "resolved_at", "notifications_sent", "created_at",
    ]
    static let spec = TableSpec(
        legacy: "alert_history", outpost: "alert_history", key: "id",
        columns: [
            ("rule_id", .uuid), ("device_id", .uuid), ("severity", .text), ("message", .text), ("value", .text),
            ("rule_name", .text), ("threshold", .text), ("triggered_at", .timestamp), ("acknowledged", .bool),
            ("acknowledged_at", .timestamp), ("resolved_at", .timestamp), ("created_at", .timestamp),
        ])
    static let timeZones: [(String, LegacyTimeZone)] = [
        ("alert_history.triggered_at", .utc), ("alert_history.acknowledged_at", .utc),
        ("alert_history.resolved_at", .utc), ("alert_history.created_at", .utc),
    ]

    /// The placeholder rule for alerts named `ruleName` whose rule is not in Outpost.
    static func placeholderRule(named ruleName: String) -> UUID {
        var bytes = Array(SHA256.hash(data: Data("outpost-legacy-placeholder-rule\u{0}\(ruleName)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }

    /// The insert of a placeholder rule (disabled, never true), idempotent.
    static func placeholderInsert(_ id: UUID, name: String) -> PostgresQuery {
        let ruleName = String(("\(name) (legacy)").prefix(200))
        return """
            INSERT INTO alert_rules (id, name, description, expression, severity, enabled)
            VALUES (\(id), \(ruleName), 'Placeholder for imported legacy alerts whose rule is not in Outpost',
                    'FALSE', 'info', FALSE)
            ON CONFLICT (id) DO NOTHING
            """
    }

    static func map(
        _ row: LegacyRow, context: LegacyImportContext, placeholders: inout [UUID: String], notes: inout [String]
    ) throws -> MappedRow {
        guard let id = try row.uuid("id") else { throw LegacyValueError(column: "id", reason: "is NULL") }
        let ruleName = row.text("rule_name").flatMap { $0.isEmpty ? nil : $0 }
        try FieldCheck.optional(ruleName, field: "rule_name", maximum: 200)
        var rule = try row.uuid("rule_id")
        if rule == nil || !context.rules.contains(rule!) {
            let placeholder = placeholderRule(named: ruleName ?? "Unnamed rule")
            placeholders[placeholder] = ruleName ?? "Unnamed rule"
            rule = placeholder
        }
        var device = try row.uuid("device_id")
        if let known = device, context.devices[known] == nil {
            notes.append(
                "alert_history \(id.uuidString.lowercased()): device \(known.uuidString.lowercased()) is not in Outpost; "
                    + "imported without a device")
            device = nil
        }
        let severity = try row.required("severity").trimmingCharacters(in: .whitespaces).lowercased()
        guard AlertRuleAdmin.severities.contains(severity) else {
            throw LegacyValueError(column: "severity", reason: "unknown severity \(severity.debugDescription)")
        }
        let message = try row.required("message")
        try FieldCheck.text(message, field: "message", maximum: 10_000, multiline: true)
        let value = row.text("value")
        try FieldCheck.optional(value, field: "value", maximum: 100)
        let threshold = row.text("threshold")
        try FieldCheck.optional(threshold, field: "threshold", maximum: 500, multiline: true)
        guard let triggered = try row.timestamp("triggered_at", .utc) else {
            throw LegacyValueError(column: "triggered_at", reason: "is NULL")
        }
        let resolved = try row.timestamp("resolved_at", .utc)
        if let resolved, resolved < triggered {
            throw LegacyValueError(column: "resolved_at", reason: "is before triggered_at")
        }
        let acknowledged = try row.bool("acknowledged") ?? false
        let acknowledgedAt = try row.timestamp("acknowledged_at", .utc)
        let created = try row.timestamp("created_at", .utc) ?? triggered
        func text(_ value: String?) -> String { (value.map(CanonicalValue.text) ?? .null).printed }
        func time(_ value: Date?) -> String { (value.map(CanonicalValue.timestamp) ?? .null).printed }
        let canonical = CanonicalRow([
            ("rule_id", CanonicalValue.uuid(rule!).printed),
            ("device_id", (device.map(CanonicalValue.uuid) ?? .null).printed),
            ("severity", text(severity)), ("message", text(message)), ("value", text(value)),
            ("rule_name", text(ruleName)), ("threshold", text(threshold)), ("triggered_at", time(triggered)),
            ("acknowledged", CanonicalValue.bool(acknowledged).printed), ("acknowledged_at", time(acknowledgedAt)),
            ("resolved_at", time(resolved)), ("created_at", time(created)),
        ])
        let upsert: PostgresQuery = """
            INSERT INTO alert_history AS t (id, rule_id, device_id, severity, message, value, rule_name, threshold,
                triggered_at, acknowledged, acknowledged_at, resolved_at, notifications_sent, created_at)
            VALUES (\(id), \(rule!), \(device), \(severity), \(message), \(value), \(ruleName), \(threshold),
                \(triggered), \(acknowledged), \(acknowledgedAt), \(resolved), '[]'::jsonb, \(created))
            ON CONFLICT (id) DO UPDATE SET rule_id = EXCLUDED.rule_id, device_id = EXCLUDED.device_id,
                severity = EXCLUDED.severity, message = EXCLUDED.message, value = EXCLUDED.value,
                rule_name = EXCLUDED.rule_name, threshold = EXCLUDED.threshold, triggered_at = EXCLUDED.triggered_at,
                acknowledged = EXCLUDED.acknowledged, acknowledged_at = EXCLUDED.acknowledged_at,
                resolved_at = EXCLUDED.resolved_at, created_at = EXCLUDED.created_at
            WHERE (t.rule_id, t.device_id, t.severity, t.message, t.value, t.rule_name, t.threshold, t.triggered_at,
                   t.acknowledged, t.acknowledged_at, t.resolved_at, t.created_at)
                IS DISTINCT FROM (EXCLUDED.rule_id, EXCLUDED.device_id, EXCLUDED.severity, EXCLUDED.message,
                   EXCLUDED.value, EXCLUDED.rule_name, EXCLUDED.threshold, EXCLUDED.triggered_at,
                   EXCLUDED.acknowledged, EXCLUDED.acknowledged_at, EXCLUDED.resolved_at, EXCLUDED.created_at)
            RETURNING 1
            """
        return MappedRow(
            legacyID: id.uuidString.lowercased(), outpostID: id.uuidString.lowercased(), canonical: canonical,
            upsert: upsert)
    }
}
