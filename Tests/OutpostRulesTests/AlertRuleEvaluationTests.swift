import Foundation
import OutpostRules
import Testing

@Suite("Alert rules: evaluation over in-memory windows")
struct AlertRuleEvaluationTests {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    /// A series from (seconds before now, value) pairs, oldest first; negative ages are in the future.
    static func series(_ points: [(Double, RuleValue)]) -> [RuleSample] {
        points.map { RuleSample(now.addingTimeInterval(-$0.0), $0.1) }
    }

    static func numbers(_ points: [(Double, Double)]) -> [RuleSample] {
        series(points.map { ($0.0, .number($0.1)) })
    }

    static func evaluate(_ source: String, _ series: [String: [RuleSample]], at now: Date = now) throws -> RuleOutcome {
        try AlertRule(source).evaluate(RuleWindows(now: now, series: series))
    }

    /// x in the last 5 minutes is 10, 20, 30; 100 is older, 50 is exactly 5 minutes old (the window
    /// is open on the left), 1000 lies in the future.
    static let gauge = numbers([(400, 100), (300, 50), (200, 10), (100, 20), (0, 30), (-10, 1000)])

    @Test(arguments: [
        ("avg(x, 5m) = 20", RuleOutcome.true),
        ("min(x, 5m) = 10", .true),
        ("max(x, 5m) = 30", .true),
        ("count(x, 5m) = 3", .true),
        ("count(x, 301s) = 4", .true),
        ("avg(x, 1 hour) = 42", .true),  // (100 + 50 + 10 + 20 + 30) / 5
        ("last(x) = 30", .true),
        ("x = 30", .true),
        ("max(x, 150s) - min(x, 150s) = 10", .true),
        ("count(x >= 20, 5m) = 2", .true),
        ("count(x > 1000, 1d) = 0", .true),
        ("avg(x, 5m) > 20", .false),
    ])
    func windowFunctions(source: String, expected: RuleOutcome) throws {
        #expect(try Self.evaluate(source, ["x": Self.gauge]) == expected)
    }

    @Test func rateIsPerSecondAndSurvivesA32BitWrap() throws {
        // +200, then a wrap at 2^32: 2^32 - 4_294_967_200 + 120 = 216, then +304: 720 over 180 s.
        let counter = Self.numbers([(240, 4_294_967_000), (180, 4_294_967_200), (120, 120), (60, 424)])
        #expect(try Self.evaluate("rate(c, 5m) = 4", ["c": counter]) == .true)
        // Only the last two samples in a 150 s window: 304 over 60 s.
        #expect(try Self.evaluate("rate(c, 150s) * 60 = 304", ["c": counter]) == .true)
        // Octets to megabits per second, as a template trigger would write it.
        #expect(try Self.evaluate("rate(c, 5m) * 8 / 1000000 > 0.00003", ["c": counter]) == .true)
    }

    @Test func rateTreatsADropFromAbove32BitsAsAReset() throws {
        // +1000, then a reset to 500 (a 64-bit counter does not wrap): 1500 over 120 s.
        let counter = Self.numbers([(120, 9_999_999_000), (60, 10_000_000_000), (0, 500)])
        #expect(try Self.evaluate("rate(c, 5m) = 12.5", ["c": counter]) == .true)
    }

    @Test func rateNeedsTwoSamplesSpreadInTime() throws {
        #expect(try Self.evaluate("rate(c, 5m) >= 0", ["c": Self.numbers([(10, 5)])]) == .unknown)
        #expect(try Self.evaluate("rate(c, 5m) >= 0", ["c": Self.numbers([(10, 5), (10, 7)])]) == .unknown)
        #expect(try Self.evaluate("rate(c, 5m) >= 0", ["c": Self.numbers([(400, 5), (10, 7)])]) == .unknown)
    }

    @Test func inWindowCountsTheSamplesOfTheItem() throws {
        // Status changes 310, 250, 100 and 10 seconds ago: three in the last 5 minutes.
        let changes = Self.numbers([(310, 1), (250, 1), (100, 1), (10, 1)])
        let rule = try AlertRule("status_changes >= 3 in 5 minutes")
        #expect(rule.evaluate(RuleWindows(now: Self.now, series: ["status_changes": changes])) == .true)
        // A minute later the change from 250 s ago has left the window.
        let later = Self.now.addingTimeInterval(60)
        #expect(rule.evaluate(RuleWindows(now: later, series: ["status_changes": changes])) == .false)
        // A known series with no change counts 0; an unknown series is unknown.
        #expect(rule.evaluate(RuleWindows(now: Self.now, series: ["status_changes": []])) == .false)
        #expect(rule.evaluate(RuleWindows(now: Self.now)) == .unknown)
    }

    @Test func legacyRules() throws {
        let values: [String: [RuleSample]] = [
            "ping_unreachable": Self.numbers([(60, 4), (0, 5)]),
            "avg_ping_ms": Self.numbers([(0, 200)]),
            "packet_loss": Self.numbers([(0, 10.5)]),
            "down_time": Self.numbers([(0, 12)]),
            "isp_link": Self.series([(0, .boolean(true))]),
            "ip": Self.series([(0, .string("10.0.0.5"))]),
        ]
        let expected: [(String, RuleOutcome)] = [
            ("ping_unreachable >= 5", .true),
            ("avg_ping_ms > 200", .false),
            ("packet_loss > 10", .true),
            ("down_time > 10 seconds", .true),
            ("down_time > 1 minute", .false),
            ("isp_link AND packet_loss > 5%", .true),
            ("ip LIKE '%.5'", .true),
        ]
        for (source, outcome) in expected {
            #expect(try Self.evaluate(source, values) == outcome, "\(source)")
        }
    }

    @Test func missingDataIsUnknownWithThreeValuedLogic() throws {
        let link = ["isp_link": Self.series([(0, .boolean(false))])]
        let up = ["isp_link": Self.series([(0, .boolean(true))])]
        #expect(try Self.evaluate("isp_link AND packet_loss > 5%", link) == .false)
        #expect(try Self.evaluate("isp_link AND packet_loss > 5%", up) == .unknown)
        #expect(try Self.evaluate("isp_link OR packet_loss > 5%", up) == .true)
        #expect(try Self.evaluate("NOT (packet_loss > 5%)", [:]) == .unknown)
        #expect(try Self.evaluate("packet_loss > 5% OR NOT isp_link", link) == .true)
        #expect(try Self.evaluate("(packet_loss > 5%) = isp_link", up) == .unknown)
        // A series with only future samples, or none at all in the window, is missing data.
        #expect(try Self.evaluate("x > 0", ["x": Self.numbers([(-5, 1)])]) == .unknown)
        #expect(try Self.evaluate("avg(x, 1m) > 0", ["x": Self.numbers([(120, 1)])]) == .unknown)
        // Samples of another type than the rule needs are missing data, not a crash.
        #expect(try Self.evaluate("x > 0", ["x": Self.series([(0, .string("up"))])]) == .unknown)
        #expect(try Self.evaluate("avg(x, 1m) > 0", ["x": Self.series([(0, .boolean(true))])]) == .unknown)
        // Division by zero is unknown.
        #expect(try Self.evaluate("x / y > 1", ["x": Self.numbers([(0, 1)]), "y": Self.numbers([(0, 0)])]) == .unknown)
    }

    @Test(arguments: [
        ("%.5", "10.0.0.5", true),
        ("%.5", "10.0.0.15", false),
        ("%.5", "10.0.5.1", false),
        ("10.%", "10.1.2.3", true),
        ("10.%", "110.1.2.3", false),
        ("sw_%", "sw-core-1", true),
        ("sw\\_%", "sw-core-1", false),
        ("sw\\_%", "sw_core", true),
        ("%core%", "sw-core-1", true),
        ("%a%b%c", "xaxbxbxc", true),
        ("%a%b%c", "xaxbxbx", false),
        ("a_c", "abc", true),
        ("a_c", "ac", false),
        ("_", "é", true),
        ("abc", "ABC", false),
        ("%", "", true),
        ("", "", true),
        ("50\\%", "50%", true),
        ("50\\%", "500", false),
    ])
    func likePatterns(pattern: String, subject: String, matches: Bool) throws {
        let quoted = "'" + pattern.replacingOccurrences(of: "'", with: "''") + "'"
        let value = ["s": Self.series([(0, .string(subject))])]
        #expect(try Self.evaluate("s LIKE \(quoted)", value) == (matches ? .true : .false))
        #expect(try Self.evaluate("s NOT LIKE \(quoted)", value) == (matches ? .false : .true))
    }

    @Test func stringsAndBooleansCompareForEquality() throws {
        let values: [String: [RuleSample]] = [
            "state": Self.series([(60, .string("up")), (0, .string("down"))]),
            "flag": Self.series([(0, .boolean(false))]),
        ]
        #expect(try Self.evaluate("state = 'down'", values) == .true)
        #expect(try Self.evaluate("state <> 'down'", values) == .false)
        #expect(try Self.evaluate("flag = FALSE AND NOT flag", values) == .true)
        #expect(try Self.evaluate("count(state = 'up', 5m) = 1", values) == .true)
    }
}
