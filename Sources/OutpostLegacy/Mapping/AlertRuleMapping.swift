import Foundation
import OutpostStore
import PostgresNIO

/// `alert_rules` → `alert_rules`: the same UUID, the expression translated
/// (``LegacyRuleTranslator``); a rule that cannot be translated keeps its legacy text and is
/// imported disabled, listed in the report with the reason.
enum AlertRuleMapping {
    static let columns = [
        "id", "device_id", "branch_id", "name", "description", "expression", "severity", "notification_channels",
        "notification_recipients", "device_group", "monitoring_item_id", "enabled", "created_at", "updated_at",
    ]
    static let spec = TableSpec(
        legacy: "alert_rules", outpost: "alert_rules", key: "id",
        columns: [
            ("device_id", .uuid), ("branch_id", .uuid), ("name", .text), ("description", .text),
            ("expression", .text), ("severity", .text), ("notification_recipients", .json), ("device_group", .text),
            ("enabled", .bool), ("created_at", .timestamp), ("updated_at", .timestamp),
        ])
    static let timeZones: [(String, LegacyTimeZone)] = [
        ("alert_rules.created_at", .tbilisi), ("alert_rules.updated_at", .tbilisi),
    ]

    static func map(_ row: LegacyRow, context: LegacyImportContext, notes: inout [String]) throws -> MappedRow {
        guard let id = try row.uuid("id") else { throw LegacyValueError(column: "id", reason: "is NULL") }
        let label = "alert_rules \(id.uuidString.lowercased())"
        let device = try row.uuid("device_id")
        if let device, context.devices[device] == nil {
            throw LegacyValueError(
                column: "device_id", reason: "device \(device.uuidString.lowercased()) does not exist (or was refused)")
        }
        var branch: UUID?
        if let legacyBranch = row.text("branch_id") {
            guard let id = LegacyIdentifier.uuid(legacyBranch), context.branches[id] != nil else {
                throw LegacyValueError(
                    column: "branch_id", reason: "branch \(legacyBranch) does not exist (or was refused)")
            }
            branch = id
        }
        guard let name = FieldCheck.trimmed(try row.required("name"), field: "\(label) name", notes: &notes) else {
            throw LegacyValueError(column: "name", reason: "is blank")
        }
        try FieldCheck.text(name, field: "name", maximum: 200)
        let description = row.text("description").flatMap { $0.isEmpty ? nil : $0 }
        try FieldCheck.optional(
            description, field: "description", maximum: AlertRuleAdmin.maximumDescriptionLength, multiline: true)
        let severity = try row.required("severity").trimmingCharacters(in: .whitespaces).lowercased()
        guard AlertRuleAdmin.severities.contains(severity) else {
            throw LegacyValueError(column: "severity", reason: "unknown severity \(severity.debugDescription)")
        }
        let legacyExpression = try row.required("expression")
        let (expression, problem) = LegacyRuleTranslator.translate(legacyExpression, itemNames: context.itemNames)
        try FieldCheck.text(expression, field: "expression", maximum: 500, multiline: true)
        var enabled = try row.bool("enabled") ?? true
        if let problem {
            notes.append("\(label) (\(name)): expression \"\(legacyExpression)\" \(problem); imported disabled")
            enabled = false
        } else if expression != legacyExpression {
            notes.append("\(label) (\(name)): \"\(legacyExpression)\" translated to \"\(expression)\"")
        }
        let recipients = try row.stringArray("notification_recipients")
        let emails = recipients.filter { $0.contains("@") && !$0.contains(where: \.isWhitespace) }
        if emails.count != recipients.count {
            notes.append(
                "\(label): recipients that are not e-mail addresses left out: \(recipients.filter { !emails.contains($0) })"
            )
        }
        let channels = try row.stringArray("notification_channels")
        if !channels.isEmpty {
            notes.append("\(label): legacy notification channels \(channels) have no Outpost equivalent (add webhooks)")
        }
        if row.text("monitoring_item_id") != nil {
            notes.append("\(label): monitoring_item_id not carried (legacy items are not imported)")
        }
        let group = FieldCheck.trimmed(row.text("device_group"), field: "\(label) device_group", notes: &notes)
        try FieldCheck.optional(group, field: "device_group", maximum: 100)
        let recipientsJSON = CanonicalValue.jsonText(emails)
        let created = try row.timestamp("created_at", .tbilisi) ?? Date(timeIntervalSince1970: 0)
        let updated = try row.timestamp("updated_at", .tbilisi)
        func value(_ text: String?) -> String { (text.map(CanonicalValue.text) ?? .null).printed }
        let canonical = CanonicalRow([
            ("device_id", (device.map(CanonicalValue.uuid) ?? .null).printed),
            ("branch_id", (branch.map(CanonicalValue.uuid) ?? .null).printed), ("name", value(name)),
            ("description", value(description)), ("expression", value(expression)), ("severity", value(severity)),
            ("notification_recipients", CanonicalValue.json(recipientsJSON).printed), ("device_group", value(group)),
            ("enabled", CanonicalValue.bool(enabled).printed),
            ("created_at", CanonicalValue.timestamp(created).printed),
            ("updated_at", (updated.map(CanonicalValue.timestamp) ?? .null).printed),
        ])
        let upsert: PostgresQuery = """
            INSERT INTO alert_rules AS t (id, device_id, branch_id, name, description, expression, severity,
                notification_channels, notification_recipients, device_group, enabled, created_at, updated_at)
            VALUES (\(id), \(device), \(branch), \(name), \(description), \(expression), \(severity), '[]'::jsonb,
                \(recipientsJSON)::jsonb, \(group), \(enabled), \(created), \(updated))
            ON CONFLICT (id) DO UPDATE SET device_id = EXCLUDED.device_id, branch_id = EXCLUDED.branch_id,
                name = EXCLUDED.name, description = EXCLUDED.description, expression = EXCLUDED.expression,
                severity = EXCLUDED.severity, notification_recipients = EXCLUDED.notification_recipients,
                device_group = EXCLUDED.device_group, enabled = EXCLUDED.enabled, created_at = EXCLUDED.created_at,
                updated_at = EXCLUDED.updated_at
            WHERE (t.device_id, t.branch_id, t.name, t.description, t.expression, t.severity,
                   t.notification_recipients, t.device_group, t.enabled, t.created_at, t.updated_at)
                IS DISTINCT FROM (EXCLUDED.device_id, EXCLUDED.branch_id, EXCLUDED.name, EXCLUDED.description,
                   EXCLUDED.expression, EXCLUDED.severity, EXCLUDED.notification_recipients, EXCLUDED.device_group,
                   EXCLUDED.enabled, EXCLUDED.created_at, EXCLUDED.updated_at)
            RETURNING 1
            """
        return MappedRow(
            legacyID: id.uuidString.lowercased(), outpostID: id.uuidString.lowercased(), canonical: canonical,
            upsert: upsert)
    }
}
