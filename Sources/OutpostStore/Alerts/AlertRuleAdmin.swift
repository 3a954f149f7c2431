import Foundation
import Logging
import PostgresNIO

/// Alert rules as operators manage them: every rule (enabled or not) listed, created, changed
/// and deleted. An expression is parsed when written, so the engine never meets one that does
/// not; each change is written to the audit log (entity `alert_rule`) in its transaction, and
/// the engine reloads the rules on the notification `alert_rules`' trigger sends.
public struct AlertRuleAdmin: Sendable {
    let logger: Logger

    /// Creates an administrator logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Every rule, oldest first.
    public func list(on connection: PostgresConnection) async throws -> [AlertRuleRecordView] {
        try await StoredAlertRule.fetch(logger: logger, on: connection).map(\.view)
    }

    /// The rule with this id, if any.
    public func rule(id: UUID, on connection: PostgresConnection) async throws -> AlertRuleRecordView? {
        try await StoredAlertRule.fetch(id: id, logger: logger, on: connection).first?.view
    }

    /// Creates a rule.
    ///
    /// - Throws: ``InputError`` naming the field refused (for `expression`, with the
    ///   position the parser stopped at).
    public func create(_ draft: AlertRuleDraft, by actor: AuditActor, on connection: PostgresConnection) async throws
        -> AlertRuleRecordView
    {
        let fields = AlertRuleFields(
            name: draft.name, description: draft.description, expression: draft.expression, severity: draft.severity,
            enabled: draft.enabled, deviceID: draft.deviceID, branchName: draft.branchName,
            deviceGroup: draft.deviceGroup, webhooks: draft.webhooks,
            emailRecipients: Self.unique(draft.emailRecipients), trace: draft.trace)
        try fields.validate()
        let channels = try StoredAlertRule.channels(
            webhooks: fields.webhooks, emailRecipients: fields.emailRecipients, trace: fields.trace, existing: "[]")
        return try await connection.transaction(logger: logger) { connection in
            let branchID = try await scope(of: fields, on: connection)
            let rows = try await connection.query(
                """
                INSERT INTO alert_rules (name, description, expression, severity, enabled, device_id, branch_id,
                                         device_group, notification_channels, notification_recipients)
                VALUES (\(fields.name), \(fields.description), \(fields.expression), \(fields.severity),
                        \(fields.enabled), \(fields.deviceID), \(branchID), \(fields.deviceGroup),
                        \(channels)::jsonb, '[]'::jsonb)
                RETURNING id
                """, logger: logger)
            var created: UUID?
            for try await id in rows.decode(UUID.self) { created = id }
            guard let created else { throw AlertRuleStore.NoRowReturned() }
            let after = try await stored(created, on: connection)
            try await AuditLog(logger: logger).append(
                .diff(
                    action: "create", entity: "alert_rule", entityID: created.uuidString.lowercased(), before: [:],
                    after: after.auditValues), by: actor, on: connection)
            return after.view
        }
    }

    /// Changes the fields `patch` sets; returns the rule as it is now.
    ///
    /// - Throws: ``AlertRuleAdminError/notFound(_:)``, or ``InputError`` naming the field refused.
    public func update(id: UUID, _ patch: AlertRulePatch, by actor: AuditActor, on connection: PostgresConnection)
        async throws -> AlertRuleRecordView
    {
        try await connection.transaction(logger: logger) { connection in
            let locked = try await connection.query(
                "SELECT id FROM alert_rules WHERE id = \(id) FOR UPDATE", logger: logger)
            for try await _ in locked.decode(UUID.self) {}
            let before = try await stored(id, on: connection)
            let old = before.view
            var fields = AlertRuleFields(
                name: old.name, description: old.description, expression: old.expression, severity: old.severity,
                enabled: old.enabled, deviceID: old.deviceID, branchName: old.branchName, deviceGroup: old.deviceGroup,
                webhooks: old.webhooks, emailRecipients: old.emailRecipients, trace: old.trace)
            fields.apply(patch)
            let notificationsChanged = patch.webhooks != nil || patch.emailRecipients != nil || patch.trace != nil
            try fields.validate(
                expression: patch.expression != nil || fields.enabled, notifications: notificationsChanged)
            let branchID = try await scope(of: fields, on: connection)
            let channels =
                notificationsChanged
                ? try StoredAlertRule.channels(
                    webhooks: fields.webhooks, emailRecipients: fields.emailRecipients, trace: fields.trace,
                    existing: before.channelsJSON)
                : nil
            try await connection.query(
                """
                UPDATE alert_rules SET name = \(fields.name), description = \(fields.description),
                       expression = \(fields.expression), severity = \(fields.severity), enabled = \(fields.enabled),
                       device_id = \(fields.deviceID), branch_id = \(branchID), device_group = \(fields.deviceGroup),
                       notification_channels = COALESCE(\(channels)::jsonb, notification_channels),
                       notification_recipients = CASE WHEN \(channels)::jsonb IS NULL THEN notification_recipients
                                                      ELSE '[]'::jsonb END,
                       updated_at = now()
                WHERE id = \(id)
                """, logger: logger)
            let after = try await stored(id, on: connection)
            let entry = AuditEntry.diff(
                action: "update", entity: "alert_rule", entityID: id.uuidString.lowercased(),
                before: before.auditValues, after: after.auditValues)
            if !entry.changes.isEmpty { try await AuditLog(logger: logger).append(entry, by: actor, on: connection) }
            return after.view
        }
    }

    /// Deletes a rule, and with it (`alert_history.rule_id` is CASCADE) every alert it raised;
    /// disable a rule instead to keep its history.
    ///
    /// - Throws: ``AlertRuleAdminError/notFound(_:)``.
    public func delete(id: UUID, by actor: AuditActor, on connection: PostgresConnection) async throws {
        try await connection.transaction(logger: logger) { connection in
            let locked = try await connection.query(
                "SELECT id FROM alert_rules WHERE id = \(id) FOR UPDATE", logger: logger)
            for try await _ in locked.decode(UUID.self) {}
            let before = try await stored(id, on: connection)
            try await connection.query("DELETE FROM alert_rules WHERE id = \(id)", logger: logger)
            try await AuditLog(logger: logger).append(
                .diff(
                    action: "delete", entity: "alert_rule", entityID: id.uuidString.lowercased(),
                    before: before.auditValues, after: [:]), by: actor, on: connection)
        }
    }

    /// The rule, which must exist.
    private func stored(_ id: UUID, on connection: PostgresConnection) async throws -> StoredAlertRule {
        guard let rule = try await StoredAlertRule.fetch(id: id, logger: logger, on: connection).first else {
            throw AlertRuleAdminError.notFound(id)
        }
        return rule
    }

    /// `addresses` without repeats (compared case-insensitively), in their order.
    static func unique(_ addresses: [String]) -> [String] {
        var seen = Set<String>()
        return addresses.filter { seen.insert($0.lowercased()).inserted }
    }
}
