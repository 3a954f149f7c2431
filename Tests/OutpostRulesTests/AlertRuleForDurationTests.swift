import OutpostRules
import Testing

@Suite("Alert rules: FOR <duration> (for_duration)")
struct AlertRuleForDurationTests {
    static let valid: [(source: String, canonical: String, seconds: Double)] = [
        ("ping_unreachable >= 1 FOR 30s", "(ping_unreachable >= 1)", 30),
        ("packet_loss > 10 for 5 minutes", "(packet_loss > 10)", 300),
        ("status_changes >= 3 in 5 minutes FOR 1h", "(count(status_changes, 5m) >= 3)", 3_600),
        ("isp_link AND packet_loss > 5% For 0.5m", "(isp_link AND (packet_loss > 5%))", 30),
        ("avg_ping_ms > 200", "(avg_ping_ms > 200)", 0),
    ]

    @Test(arguments: valid)
    func holdIsParsedApartFromTheCondition(source: String, canonical: String, seconds: Double) throws {
        let rule = try AlertRule(source)
        #expect(rule.syntax.description == canonical)
        #expect(rule.holdSeconds == seconds)
        #expect(try RuleExpression.parse(source).description == canonical)
    }

    static let invalid: [(source: String, message: String, column: Int)] = [
        ("x > 1 FOR", "expected a time window like 5m after 'FOR', found the end of the rule", 10),
        ("x > 1 FOR 30", "the time window 30 needs a unit, like 30m or 30 minutes", 11),
        ("x > 1 FOR 0s", "a time window must be longer than 0 seconds", 11),
        ("x > 1 FOR 2m AND y > 2", "'FOR <duration>' ends the rule; found 'AND' after it", 14),
        ("(x > 1 FOR 2m)", "unbalanced '(': expected ')' to close the '(' of column 1, found 'FOR'", 8),
        ("x > FOR 2m", "expected a number after '>', found 'FOR'", 5),
        ("x > 1 FOR 2 weeks", "unknown time unit 'weeks'; use s, m, h or d (or seconds, minutes, hours, days)", 13),
    ]

    @Test(arguments: invalid)
    func mistakesAreReportedWithTheirPosition(source: String, message: String, column: Int) {
        do {
            _ = try AlertRule(source)
            Issue.record("\(source) accepted")
        } catch {
            #expect(error.message == message)
            #expect(error.column == column)
        }
    }
}
