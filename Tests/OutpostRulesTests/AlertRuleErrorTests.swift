import OutpostRules
import Testing

@Suite("Alert rules: refused with the position of the mistake")
struct AlertRuleErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let source: String
        let declared: [String: RuleValueType]
        let message: String
        let line: Int
        let column: Int

        init(_ source: String, declared: [String: RuleValueType] = [:], _ message: String, line: Int = 1, column: Int) {
            self.source = source
            self.declared = declared
            self.message = message
            self.line = line
            self.column = column
        }

        var testDescription: String { String(source.debugDescription.prefix(60)) }
    }

    static let cases: [Case] = [
        // Syntax.
        Case("", "the rule is empty; write a condition like ping_unreachable >= 5", column: 1),
        Case("ip LIKE '%.5", "unterminated string: no closing ' for the quote", column: 9),
        Case("avg_ping_ms > ", "expected a number after '>', found the end of the rule", column: 15),
        Case("packet_loss >= AND x", "expected a number after '>=', found 'AND'", column: 16),
        Case("a AND", "expected a condition after 'AND', found the end of the rule", column: 6),
        Case("x > 5 AND (y OR)", "expected a condition after 'OR', found ')'", column: 16),
        Case("x * / 2 > 1", "expected a number after '*', found '/'", column: 5),
        Case(
            "median(x, 5m) > 1",
            "unknown function 'median'; the functions are avg(), min(), max(), last(), rate(), count(), baseline(), anomaly()",
            column: 1),
        Case("avg(x) > 200", "avg() needs a time window as its second argument, like avg(x, 5m)", column: 6),
        Case("rate(x) > 1", "rate() needs a time window as its second argument, like rate(x, 5m)", column: 7),
        Case("avg(x, 5m, 1m) > 1", "avg() takes 2 arguments, an item name and a time window", column: 10),
        Case("last(x, 5m) > 1", "last() takes only an item name, like last(x); it has no time window", column: 7),
        Case("count() > 1", "count() needs an item name as its first argument", column: 7),
        Case("avg(x, 300) > 1", "the time window 300 needs a unit, like 300m or 300 minutes", column: 8),
        Case("avg(x, ) > 1", "expected a time window like 5m after ',' in avg(), found ')'", column: 8),
        Case("avg(x, 0s) > 1", "a time window must be longer than 0 seconds", column: 8),
        Case(
            "(x > 5", "unbalanced '(': expected ')' to close the '(' of column 1, found the end of the rule", column: 7),
        Case("x > 5)", "unbalanced ')': no '(' opens it", column: 6),
        Case("avg(x, 5m > 1", "expected ')' to close avg(, found '>'", column: 11),
        Case(
            "down_time > 10 fortnights", "unexpected 'fortnights' after '10'; join conditions with AND or OR",
            column: 16),
        Case(
            "down_time > 10fortnights",
            "unknown time unit 'fortnights' after 10; use s, m, h or d (or seconds, minutes, hours, days)", column: 15),
        Case(
            "x >= 3 in 5 weeks", "unknown time unit 'weeks'; use s, m, h or d (or seconds, minutes, hours, days)",
            column: 13),
        Case("x >= 3 in 5", "the time window 5 needs a unit, like 5m or 5 minutes", column: 11),
        Case(
            "5 in 5 minutes",
            "'IN <window>' follows a comparison with an item name on its left, like status_changes >= 3 in 5 minutes",
            column: 3),
        Case(
            "5 >= 3 in 5 minutes",
            "'IN <window>' counts the samples of an item, so the left side of '>=' must be an item name, like status_changes >= 3 in 5 minutes",
            column: 1),
        Case("a < b < c", "comparisons cannot be chained; combine them with AND, like a > 1 AND a < 5", column: 7),
        Case("x > 5 y", "unexpected 'y' after '5'; join conditions with AND or OR", column: 7),
        Case("ip LIKE 5", "expected a quoted pattern like '%.5' after 'LIKE'", column: 9),
        Case("ip LIKE 'a\\'", "the LIKE pattern ends with a lone '\\'; write '\\\\' for a backslash", column: 12),
        Case("x !! 3", "unexpected '!'; write != for 'not equal' or NOT to negate a condition", column: 3),
        Case("state = \"down\"", "strings are written in single quotes, like 'down'", column: 9),
        Case("x > 5 %", "'%' must directly follow a number, like 5%", column: 7),
        Case("x = 1 & y = 2", "unexpected character '&'", column: 7),
        Case("x >\n  y +", "expected a number after '+', found the end of the rule", line: 2, column: 6),
        Case(
            "x > 99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999",
            "the number 99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999 is too large",
            column: 5),
        Case(
            String(repeating: "(", count: 200) + "x" + String(repeating: ")", count: 200),
            "the rule is nested too deeply (more than 64 levels)", column: 65),
        Case(
            String(repeating: "NOT ", count: 100) + "x", "the rule is nested too deeply (more than 64 levels)",
            column: 257),
        Case(
            String(repeating: "x + ", count: 300) + "x > 1", "the rule is too long: 1205 characters, at most 1000",
            column: 1001),
        // Types.
        Case("'a' > 5", "'>' compares numbers, but 'a' is a string", column: 1),
        Case("5 = 'a'", "'=' compares values of one type, here numbers, but 'a' is a string", column: 5),
        Case("x + 'a' > 3", "'+' works on numbers, but 'a' is a string", column: 5),
        Case("avg_ping_ms + 5", "a rule must be a true/false condition, but avg_ping_ms + 5 is a number", column: 1),
        Case("avg(x, 5m)", "a rule must be a true/false condition, but avg(x, 5m) is a number", column: 1),
        Case("(a > 1) + 2 > 0", "'+' works on numbers, but (a > 1) is a true/false condition", column: 1),
        Case(
            "x = 'a' and x > 3", "'>' compares numbers, but 'x' is a string (see its first use at column 1)", column: 13
        ),
        Case(
            "isp_link AND isp_link > 1",
            "'>' compares numbers, but 'isp_link' is a true/false condition (see its first use at column 1)", column: 14
        ),
        Case("ip > 5", declared: ["ip": .string], "'>' compares numbers, but 'ip' is declared as a string", column: 1),
        Case(
            "ip LIKE '%.5' AND avg(ip, 5m) > 1",
            "avg() works on a numeric item, but 'ip' is a string (see its first use at column 1)", column: 23),
        Case("NOT 5", "NOT negates a condition, but 5 is a number", column: 5),
        Case("-TRUE = x", "'-' negates numbers, but TRUE is a true/false condition", column: 2),
        Case("avg(3, 5m) > 1", "avg() takes an item name as its first argument", column: 5),
        Case("last(x + 1) > 1", "last() takes an item name as its argument", column: 6),
        Case(
            "count(5 > 3, 5m) > 1", "the condition of count() must refer to an item, like count(x > 5, 5m)", column: 7),
        Case(
            "count(x > 5 and y < 3, 5m) > 1",
            "the condition of count() can refer to one item only, but it uses 'x' and 'y'", column: 17),
        Case(
            "count(avg(x, 1m) > 5, 5m) > 1",
            "the condition of count() cannot contain functions; refer to the item directly", column: 7),
    ]

    @Test(arguments: cases)
    func refusedWithPosition(_ invalid: Case) {
        do {
            let rule = try AlertRule(invalid.source, declaredTypes: invalid.declared)
            Issue.record("accepted as \(rule.syntax)")
        } catch {
            #expect(error.message == invalid.message)
            #expect(error.line == invalid.line)
            #expect(error.column == invalid.column)
            #expect(error.offset <= invalid.source.unicodeScalars.count)
        }
    }

    @Test func descriptionNamesThePosition() {
        #expect(throws: RuleParseError.self) { try AlertRule("avg_ping_ms >    AND x") }
        do {
            _ = try AlertRule("avg_ping_ms >    AND x")
        } catch {
            #expect(error.description == "expected a number after '>', found 'AND' at column 18")
            #expect(error.offset == 17)
        }
        do {
            _ = try AlertRule("a AND\n  'b' > 1")
        } catch {
            #expect(error.description == "'>' compares numbers, but 'b' is a string at line 2, column 3")
        }
    }
}
