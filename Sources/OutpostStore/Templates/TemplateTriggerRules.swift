import Foundation
import Logging
import OutpostRules
import PostgresNIO

/// Turns a template's triggers into alert rules on the devices the template is applied to
/// (docs/alert-rules.md, "Template triggers"): one `alert_rules` row per (device, trigger),
/// keyed by `template_id` and `template_trigger`, whose expression is the trigger's with its
/// `for_duration` as a `FOR` clause. Applying again updates changed rows, triggers the template
/// no longer has lose their rows, and deleting the template deletes them (a foreign key).
///
/// A trigger whose expression does not parse is not materialised (logged), so one bad trigger
/// never breaks applying a template.
struct TemplateTriggerRules {
    let logger: Logger

    /// The rule expression of `trigger`: its expression, with `FOR <n>s` when it must hold.
    static func expression(of trigger: MonitoringTemplate.Trigger) -> String {
        trigger.forDuration > 0 ? "\(trigger.expression) FOR \(trigger.forDuration)s" : trigger.expression
    }

    /// Creates, updates and removes the rules of `triggers` (of template `templateID`) on
    /// `devices`; returns how many rows changed.
    @discardableResult
    func materialise(
        _ triggers: [MonitoringTemplate.Trigger], template templateID: UUID, templateName: String,
        on devices: [UUID], connection: PostgresConnection
    ) async throws -> Int {
        guard !devices.isEmpty else { return 0 }
        var usable: [MonitoringTemplate.Trigger] = []
        for trigger in triggers {
            let expression = Self.expression(of: trigger)
            do {
                guard expression.count <= MonitoringTemplate.maximumExpressionLength else {
                    throw RuleTooLong()
                }
                _ = try AlertRule(expression, declaredTypes: AlertRuleStore.declaredTypes)
                usable.append(trigger)
            } catch {
                logger.warning(
                    "template trigger not materialised: its expression is not a valid rule",
                    metadata: ["template": "\(templateName)", "trigger": "\(trigger.name)", "error": "\(error)"])
            }
        }
        var changed = 0
        let upserted = try await connection.query(
            """
            INSERT INTO alert_rules (device_id, name, expression, severity, template_id, template_trigger)
            SELECT d.id, t.name, t.expression, t.severity, \(templateID), t.name
            FROM unnest(\(devices)::uuid[]) AS d(id)
            CROSS JOIN unnest(\(usable.map(\.name))::text[], \(usable.map(Self.expression(of:)))::text[],
                              \(usable.map(\.severity))::text[]) AS t(name, expression, severity)
            ON CONFLICT (device_id, template_id, template_trigger) WHERE template_id IS NOT NULL DO UPDATE SET
                name = EXCLUDED.name, expression = EXCLUDED.expression, severity = EXCLUDED.severity, updated_at = now()
            WHERE (alert_rules.name, alert_rules.expression, alert_rules.severity)
                  IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.expression, EXCLUDED.severity)
            RETURNING id
            """, logger: logger)
        for try await _ in upserted.decode(UUID.self) { changed += 1 }
        let removed = try await connection.query(
            """
            DELETE FROM alert_rules
            WHERE template_id = \(templateID) AND device_id = ANY(\(devices)::uuid[])
              AND NOT (template_trigger = ANY(\(usable.map(\.name))::text[]))
            RETURNING id
            """, logger: logger)
        for try await _ in removed.decode(UUID.self) { changed += 1 }
        return changed
    }

    /// Re-materialises the triggers of template `templateID` on every device it is applied to
    /// (that has items of it): after an import changed the template.
    func refresh(
        _ triggers: [MonitoringTemplate.Trigger], template templateID: UUID, templateName: String,
        connection: PostgresConnection
    ) async throws {
        let rows = try await connection.query(
            """
            SELECT DISTINCT device_id FROM monitoring_items WHERE template_id = \(templateID)
            UNION SELECT device_id FROM alert_rules WHERE template_id = \(templateID) AND device_id IS NOT NULL
            """, logger: logger)
        var devices: [UUID] = []
        for try await device in rows.decode(UUID.self) { devices.append(device) }
        try await materialise(
            triggers, template: templateID, templateName: templateName, on: devices, connection: connection)
    }

    private struct RuleTooLong: Error, CustomStringConvertible {
        var description: String {
            "with its FOR clause the expression is over \(MonitoringTemplate.maximumExpressionLength) characters"
        }
    }
}
