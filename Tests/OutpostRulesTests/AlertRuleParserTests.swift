import OutpostRules
import Testing

@Suite("Alert rules: parsing to the canonical form")
struct AlertRuleParserTests {
    /// Every expression form the legacy alert_rules data uses, then template trigger forms.
    static let valid: [(source: String, canonical: String)] = [
        ("ping_unreachable >= 5", "(ping_unreachable >= 5)"),
        ("avg_ping_ms > 200", "(avg_ping_ms > 200)"),
        ("packet_loss > 10", "(packet_loss > 10)"),
        ("status_changes >= 3 in 5 minutes", "(count(status_changes, 5m) >= 3)"),
        ("down_time > 10 seconds", "(down_time > 10s)"),
        ("isp_link AND packet_loss > 5%", "(isp_link AND (packet_loss > 5%))"),
        ("ip LIKE '%.5'", "(ip LIKE '%.5')"),
        // Template triggers.
        ("cpu_5min > 90", "(cpu_5min > 90)"),
        ("rate(if.in_octets, 5m) * 8 / 1000000 > 80", "(((rate(if.in_octets, 5m) * 8) / 1000000) > 80)"),
        ("a + b * c - d / e = 1", "(((a + (b * c)) - (d / e)) = 1)"),
        ("(a + b) * c <> 1", "(((a + b) * c) != 1)"),
        ("-x < -2.5", "((-x) < (-2.5))"),
        ("- - x == 1", "((-(-x)) = 1)"),
        ("a OR b AND c", "(a OR (b AND c))"),
        ("a and not b or c", "((a AND (NOT b)) OR c)"),
        ("NOT x > 5", "(NOT (x > 5))"),
        ("not not a", "(NOT (NOT a))"),
        ("Avg(x, 5 Minutes) >= 1 And MIN(x, 1h) < 2", "((avg(x, 5m) >= 1) AND (min(x, 1h) < 2))"),
        ("max(if.in_errors, 2 days) > 0", "(max(if.in_errors, 2d) > 0)"),
        ("last(sys.uptime) < 300", "(last(sys.uptime) < 300)"),
        ("count(x, 90s) > 1", "(count(x, 90s) > 1)"),
        ("count(status = 'down', 10 min) >= 2", "(count((status = 'down'), 10m) >= 2)"),
        ("avg(x, 1 second) > 0 and avg(x, 2 secs) > 0", "((avg(x, 1s) > 0) AND (avg(x, 2s) > 0))"),
        ("avg(x, 1 day) > 0 OR avg(x, 3 hours) > 0", "((avg(x, 1d) > 0) OR (avg(x, 3h) > 0))"),
        ("avg(x, 0.5m) > 0", "(avg(x, 30s) > 0)"),
        ("x >= 2 IN 1 hour", "(count(x, 1h) >= 2)"),
        ("ip not like '10.%' and name like 'sw\\_%'", "((ip NOT LIKE '10.%') AND (name LIKE 'sw\\_%'))"),
        ("status != 'it''s down'", "(status != 'it''s down')"),
        ("isp_link = TRUE or backup = false", "((isp_link = TRUE) OR (backup = FALSE))"),
        ("x<=1", "(x <= 1)"),
        ("((((a))))", "a"),
        ("a\n  AND\tb", "(a AND b)"),
    ]

    @Test(arguments: valid)
    func parsesToCanonicalForm(source: String, canonical: String) throws {
        let rule = try AlertRule(source)
        #expect(rule.syntax.description == canonical)
        // The canonical form is itself a rule with the same meaning.
        #expect(try AlertRule(canonical).syntax.description == canonical)
    }

    @Test func spansCoverTheirSource() throws {
        let source = "isp_link AND packet_loss > 5%"
        let syntax = try RuleExpression.parse(source)
        #expect(syntax.range == 0..<29)
        guard case .logical(.and, let lhs, let rhs) = syntax.kind else {
            Issue.record("expected AND, got \(syntax)")
            return
        }
        #expect(lhs.range == 0..<8)
        #expect(rhs.range == 13..<29)
    }

    @Test func typesAreInferredOrDeclared() throws {
        let legacy = try AlertRule(
            "isp_link AND packet_loss > 5% AND ip LIKE '%.5' AND status_changes >= 3 in 5 minutes")
        #expect(legacy.variables == ["isp_link", "packet_loss", "ip", "status_changes"])
        #expect(legacy.variableTypes == ["isp_link": .boolean, "packet_loss": .number, "ip": .string])
        #expect(try AlertRule("x = y").variableTypes == ["x": .number, "y": .number])
        #expect(try AlertRule("x = y", declaredTypes: ["y": .string]).variableTypes == ["x": .string, "y": .string])
        #expect(try AlertRule("'down' = last(state)").variableTypes == ["state": .string])
    }
}
