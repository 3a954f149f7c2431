import Foundation
import OutpostRules

/// How a rule did on one or more series: firings that fell on an injected anomaly (true
/// positives), and anomalies with at least one firing.
struct Detection {
    var firings = 0
    var truePositives = 0
    var anomalies = 0
    var detected = 0

    var precision: Double { firings == 0 ? 1 : Double(truePositives) / Double(firings) }
    var recall: Double { anomalies == 0 ? 1 : Double(detected) / Double(anomalies) }

    static func + (lhs: Detection, rhs: Detection) -> Detection {
        Detection(
            firings: lhs.firings + rhs.firings, truePositives: lhs.truePositives + rhs.truePositives,
            anomalies: lhs.anomalies + rhs.anomalies, detected: lhs.detected + rhs.detected)
    }
}

enum Quality {
    /// A firing up to this long after an anomaly ends still belongs to it (the 5-minute windows lag).
    static let lag = 300.0

    /// The times `rule` fires when evaluated at every sample of `context`'s `rtt` series, as the
    /// alert engine moves a pair: ok → pending (`FOR`) → firing → ok; unknown changes nothing.
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

    static func score(_ fired: [Date], against anomalies: [InjectedAnomaly]) -> Detection {
        func matches(_ time: Date, _ anomaly: InjectedAnomaly) -> Bool {
            time >= anomaly.range.lowerBound && time <= anomaly.range.upperBound.addingTimeInterval(lag)
        }
        return Detection(
            firings: fired.count,
            truePositives: fired.filter { time in anomalies.contains { matches(time, $0) } }.count,
            anomalies: anomalies.count,
            detected: anomalies.filter { anomaly in fired.contains { matches($0, anomaly) } }.count)
    }

    /// The rules compared: the anomaly rule at its default threshold, the ratio rule, and static
    /// thresholds at the 99th and 95th percentiles of the training month's rounds (what an
    /// operator reading the month's chart might choose).
    static let ruleNames = [
        "rtt_anomaly > 4 FOR 5m", "rtt > 3 * baseline_rtt FOR 5m", "static: rtt > p99 of the month FOR 5m",
        "static: rtt > p95 of the month FOR 5m",
    ]

    /// Learns one series's baselines from its four training weeks, then scores the rules on its test week.
    static func run(_ series: SyntheticSeries) throws -> [Detection] {
        var random = SeededRandom(seed: series.seed)
        let learning = BaselineLearning()
        var means: [(hour: Int, value: Double)] = []
        var training: [Double] = []
        let hourRounds = Int(3_600 / SyntheticSeries.round)
        for hour in 0..<(SyntheticSeries.trainingWeeks * HourOfWeek.count) {
            let from = SyntheticSeries.start.addingTimeInterval(Double(hour) * 3_600)
            let rounds = series.rounds(from: from, seconds: 3_600, anomalies: [], random: &random)
            var sum = 0.0
            for sample in rounds {
                guard case .number(let value) = sample.value else { continue }
                sum += value
                training.append(value)
            }
            means.append((HourOfWeek.of(from), sum / Double(hourRounds)))
        }
        var weekly = WeeklyBaseline(learning.baselines(from: means, for: 0..<HourOfWeek.count))
        for hour in 0..<HourOfWeek.count { weekly[hour]?.minimumSpread = BaselineVariables.rttMinimumSpread }
        training.sort()
        let p99 = training[Int(Double(training.count - 1) * 0.99)]
        let p95 = training[Int(Double(training.count - 1) * 0.95)]

        let anomalies = series.anomalies()
        let test = series.rounds(
            from: SyntheticSeries.testStart, seconds: 7 * 86_400, anomalies: anomalies, random: &random)
        let context = RuleWindows(now: SyntheticSeries.testStart, series: ["rtt": test], baselines: ["rtt": weekly])
        let times = test.map(\.timestamp)
        let rules = [
            try AlertRule("rtt_anomaly > \(Int(BaselineVariables.defaultAnomalyThreshold)) FOR 5m"),
            try AlertRule("rtt > 3 * baseline_rtt FOR 5m"),
            try AlertRule("rtt > \(String(format: "%.3f", p99)) FOR 5m"),
            try AlertRule("rtt > \(String(format: "%.3f", p95)) FOR 5m"),
        ]
        return rules.map { score(firings(of: $0, in: context, at: times), against: anomalies) }
    }
}
