import Foundation
import OutpostRules
import OutpostStore

/// Legacy alert-rule expressions in Outpost's rule language (docs/alert-rules.md). Most parse
/// as they are, `isp_link AND response_time > 100ms` among them; `ping_ms` is `avg_ping_ms`.
/// An expression that still does not parse, or reads something Outpost does not measure, is
/// returned with the reason: the rule is then imported disabled.
enum LegacyRuleTranslator {
    /// What the alert engine measures for every device (docs/alert-rules.md, "Variables").
    static let engineVariables: Set<String> = [
        "ping_unreachable", "packet_loss", "avg_ping_ms", "down_time", "status_changes", "ip", "rtt",
        "response_time", "isp_link", "if_down", "if_oper_changes", "if_utilisation", "if_error_rate",
        "path_changed",
    ]

    static let rewrites: [(pattern: String, replacement: String)] = [
        (#"\bping_ms\b"#, "avg_ping_ms")
    ]

    /// The translated expression, and why it cannot be used (`nil` when it can).
    static func translate(_ legacy: String, itemNames: Set<String>) -> (expression: String, problem: String?) {
        var expression = legacy.trimmingCharacters(in: .whitespacesAndNewlines)
        for rewrite in rewrites {
            expression = expression.replacingOccurrences(
                of: rewrite.pattern, with: rewrite.replacement, options: .regularExpression)
        }
        guard expression.count <= 500 else { return (legacy, "longer than 500 characters") }
        let rule: AlertRule
        do {
            rule = try AlertRule(expression, declaredTypes: AlertRuleStore.declaredTypes)
        } catch {
            return (legacy, "does not parse: \(error.message) at position \(error.offset)")
        }
        let unknown = Set(rule.variables).subtracting(engineVariables).subtracting(itemNames).sorted()
        if !unknown.isEmpty {
            return (expression, "reads \(unknown.joined(separator: ", ")), which Outpost does not measure")
        }
        return (expression, nil)
    }
}
