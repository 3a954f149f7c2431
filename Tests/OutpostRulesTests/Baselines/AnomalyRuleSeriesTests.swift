import Foundation
import OutpostRules
import OutpostTestSupport
import Testing

/// A seeded RTT series with a business-hours daily pattern, four weeks learned into baselines,
/// then a fifth week with one injected shift: the anomaly rules fire on the shift only, a static
/// threshold that catches the shift also fires on the daily pattern.
@Suite("Alert rules: anomaly rules on a series with a daily pattern")
struct AnomalyRuleSeriesTests {
    /// Monday 2026-11-02 00:00 UTC: the first learned week.
    static let start = Date(timeIntervalSince1970: 1_793_577_600)
    static let round = 60.0
    /// The injected shift: +60 ms from Wednesday 02:00 to 04:00 of the fifth week.
    static let shift =
        start.addingTimeInterval(
            (28 + 2) * 86_400 + 2 * 3_600)..<start.addingTimeInterval(
            (28 + 2) * 86_400 + 4 * 3_600)

    /// RTT at `time`: 20 ms at night and at weekends, up to 35 ms in weekday business hours
    /// (08:00 to 18:00 UTC), Gaussian noise of 2 ms, and the shift.
    static func rtt(at time: Date, using generator: inout SeededGenerator) -> Double {
        let hour = HourOfWeek.of(time)
        let dayHour = Double(hour % 24) + time.timeIntervalSince1970.truncatingRemainder(dividingBy: 3_600) / 3_600
        let business = hour < 5 * 24 && dayHour >= 8 && dayHour < 18 ? sin(Double.pi * (dayHour - 8) / 10) : 0
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &generator)
        let u2 = Double.random(in: 0..<1, using: &generator)
        let noise = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2) * 2
        return 20 + 15 * business + noise + (shift.contains(time) ? 60 : 0)
    }

    /// The first times a rule holding for its `FOR` fires (ok → pending → firing → ok; unknown changes nothing).
    static func firings(of rule: AlertRule, in context: RuleWindows, at times: [Date]) -> [Date] {
        var context = context
        var pendingSince: Date?
        var firing = false
        var fired: [Date] = []
        for time in times {
            context.now = time
            switch rule.evaluate(context) {
            case .true:
                let since = pendingSince ?? time
                pendingSince = since
                if !firing, time.timeIntervalSince(since) >= rule.holdSeconds {
                    firing = true
                    fired.append(time)
                }
            case .false:
                pendingSince = nil
                firing = false
            case .unknown:
                break
            }
        }
        return fired
    }

    @Test("rtt_anomaly > 4 and rtt > 3 * baseline_rtt fire on the shift, not on the daily pattern")
    func anomalyRulesFireOnTheShiftOnly() throws {
        var generator = SeededGenerator(seed: 2026)
        var hourly: [(hour: Int, value: Double)] = []
        var sum = 0.0
        for minute in 0..<(28 * 24 * 60) {
            sum += Self.rtt(at: Self.start.addingTimeInterval(Double(minute) * Self.round), using: &generator)
            if minute % 60 == 59 {
                hourly.append((minute / 60 % HourOfWeek.count, sum / 60))
                sum = 0
            }
        }
        let weekly = WeeklyBaseline(BaselineLearning().baselines(from: hourly, for: 0..<HourOfWeek.count))
        let testStart = Self.start.addingTimeInterval(28 * 86_400)
        let times = (0..<(7 * 24 * 60)).map { testStart.addingTimeInterval(Double($0) * Self.round) }
        let samples = times.map { RuleSample($0, .number(Self.rtt(at: $0, using: &generator))) }
        var learned = weekly
        for hour in 0..<HourOfWeek.count {
            learned[hour]?.minimumSpread = BaselineVariables.rttMinimumSpread
        }
        let context = RuleWindows(now: testStart, series: ["rtt": samples], baselines: ["rtt": learned])

        for source in ["rtt_anomaly > 4 FOR 5m", "rtt > 3 * baseline_rtt FOR 5m"] {
            let fired = Self.firings(of: try AlertRule(source), in: context, at: times)
            #expect(fired.count == 1, "\(source) fired at \(fired)")
            #expect(fired.allSatisfy { Self.shift.contains($0) }, "\(source) fired at \(fired)")
        }
        // A static threshold low enough to see the shift at night also fires on every weekday's peak.
        let staticFirings = Self.firings(of: try AlertRule("rtt > 30 FOR 5m"), in: context, at: times)
        #expect(staticFirings.filter { !Self.shift.contains($0) }.count >= 5)
    }
}
