import Foundation
import OutpostRules
import Testing

@Suite("Alert rules: baselines and anomaly scores")
struct BaselineRuleTests {
    static let canonical: [(source: String, canonical: String)] = [
        ("rtt > 3 * baseline_rtt FOR 5m", "(rtt > (3 * baseline(rtt)))"),
        ("rtt_anomaly > 4", "(anomaly(rtt, 5m) > 4)"),
        (
            "loss_anomaly > 4 AND packet_loss > baseline_loss",
            "((anomaly(packet_loss, 5m) > 4) AND (packet_loss > baseline(packet_loss)))"
        ),
        ("anomaly(if.in_octets, 15m) > 3", "(anomaly(if.in_octets, 15m) > 3)"),
        (
            "anomaly(cpu_5min) >= 4 OR cpu_5min > 2 * baseline(cpu_5min)",
            "((anomaly(cpu_5min) >= 4) OR (cpu_5min > (2 * baseline(cpu_5min))))"
        ),
    ]

    @Test(arguments: canonical)
    func shorthandsAndFunctionsParse(source: String, canonical: String) throws {
        let rule = try AlertRule(source)
        #expect(rule.syntax.description == canonical)
        #expect(try AlertRule(canonical).syntax.description == canonical, "the canonical form parses to itself")
        #expect(rule.variables.allSatisfy { rule.variableTypes[$0] == .number })
    }

    @Test("the hold of an anomaly rule and the variables a context must provide")
    func holdAndVariables() throws {
        let rule = try AlertRule("rtt > 3 * baseline_rtt FOR 5m")
        #expect(rule.holdSeconds == 300)
        #expect(rule.variables == ["rtt"])
    }

    static let mistakes: [(source: String, message: String, column: Int)] = [
        ("baseline(x, 5m) > 1", "baseline() takes only an item name, like baseline(x); it has no time window", 11),
        ("anomaly(5) > 1", "anomaly() takes an item name as its first argument", 9),
        ("anomaly(x, 5m, 1m) > 1", "anomaly() takes 2 arguments, an item name and a time window", 14),
        (
            "baseline(ip) > 1 AND ip LIKE '10.%'",
            "LIKE matches strings, but 'ip' is a number (see its first use at column 10)", 22
        ),
        ("rtt_anomaly", "a rule must be a true/false condition, but rtt_anomaly is a number", 1),
        (
            "count(rtt_anomaly > 4, 1h) > 2",
            "the condition of count() cannot contain functions; refer to the item directly", 7
        ),
    ]

    @Test(arguments: mistakes)
    func mistakesAreReported(source: String, message: String, column: Int) {
        do {
            _ = try AlertRule(source)
            Issue.record("\(source) accepted")
        } catch {
            #expect(error.message == message)
            #expect(error.column == column)
        }
    }

    /// Tuesday 2026-12-01 10:00 UTC: hour of week 34.
    static let now = Date(timeIntervalSince1970: 1_796_119_200)

    static func context(rtt: [Double], every seconds: Double = 10, baseline: RuleBaseline?) -> RuleWindows {
        let samples = rtt.enumerated().map { index, value in
            RuleSample(now.addingTimeInterval(-Double(rtt.count - 1 - index) * seconds), .number(value))
        }
        var weekly = WeeklyBaseline()
        weekly[HourOfWeek.of(now)] = baseline
        return RuleWindows(now: now, series: ["rtt": samples], baselines: baseline == nil ? [:] : ["rtt": weekly])
    }

    @Test("hour of week: Monday 00:00 UTC is 0, Sunday 23:00 is 167")
    func hourOfWeek() {
        #expect(HourOfWeek.of(Self.now) == 34)
        let monday = Date(timeIntervalSince1970: 1_796_083_200 - 86_400)  // 2026-11-30 00:00 UTC
        #expect(HourOfWeek.of(monday) == 0)
        #expect(HourOfWeek.of(monday.addingTimeInterval(-1)) == 167)
        #expect(HourOfWeek.of(Date(timeIntervalSince1970: -1)) == 71, "before 1970 too")
        #expect(HourOfWeek.adding(-1, to: 0) == 167 && HourOfWeek.adding(1, to: 167) == 0)
    }

    @Test("without a baseline for the hour, baseline and anomaly rules are unknown, never fire")
    func noBaselineIsUnknown() throws {
        let context = Self.context(rtt: [500, 500, 500], baseline: nil)
        for source in ["rtt > 3 * baseline_rtt", "rtt_anomaly > 4", "anomaly(rtt) > 4", "baseline_rtt >= 0"] {
            #expect(try AlertRule(source).evaluate(context) == .unknown, "\(source)")
        }
        // A baseline for another hour of week does not stand in for this one.
        var other = WeeklyBaseline()
        other[HourOfWeek.adding(1, to: HourOfWeek.of(Self.now))] = RuleBaseline(median: 10, mad: 1, samples: 12)
        let elsewhere = RuleWindows(now: Self.now, series: context.series, baselines: ["rtt": other])
        #expect(try AlertRule("rtt_anomaly > 4").evaluate(elsewhere) == .unknown)
        // So is a rule on an item the context has no series of, even with a baseline.
        let baseline = Self.context(rtt: [], baseline: RuleBaseline(median: 10, mad: 1, samples: 12))
        #expect(try AlertRule("anomaly(rtt) > 4").evaluate(baseline) == .unknown)
    }

    @Test("the score is the deviation from the median in spreads: max(1.4826 MAD, 10 % of the median, minimum)")
    func score() throws {
        let baseline = RuleBaseline(median: 20, mad: 2, samples: 12, minimumSpread: 1)
        #expect(abs(baseline.spread - 2.9652) < 1e-12)
        #expect(RuleBaseline(median: 20, mad: 0.1, samples: 12, minimumSpread: 1).spread == 2)
        #expect(RuleBaseline(median: 0, mad: 0, samples: 12, minimumSpread: 1).spread == 1)
        #expect(RuleBaseline(median: 0, mad: 0, samples: 12).spread > 0, "never a division by zero")
        // Last value 32.5: (32.5 - 20) / 2.9652 = 4.2155…; the 5-minute mean of 20 and 32.5 is below 4.
        let context = Self.context(rtt: Array(repeating: 20, count: 29) + [32.5], baseline: baseline)
        #expect(try AlertRule("anomaly(rtt) > 4.2 AND anomaly(rtt) < 4.22").evaluate(context) == .true)
        #expect(try AlertRule("rtt_anomaly < 0.15 AND rtt_anomaly > 0.14").evaluate(context) == .true)
        #expect(try AlertRule("baseline_rtt = 20").evaluate(context) == .true)
        #expect(try AlertRule("rtt > 1.5 * baseline_rtt").evaluate(context) == .true)
        #expect(try AlertRule("rtt > 3 * baseline_rtt").evaluate(context) == .false)
        #expect(try AlertRule("anomaly(rtt) < -1").evaluate(Self.context(rtt: [15], baseline: baseline)) == .true)
    }
}
