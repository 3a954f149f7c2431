/// How baselines are learned from hourly means (docs/alert-rules.md, "Baselines"): the baseline
/// of an hour of week is the median of that hour's means over the last `weeks` weeks, provided
/// there are at least `minimumSamples` of them (else there is no baseline, never a baseline of
/// zero), and the median absolute deviation (MAD) of the means of that hour and of the
/// `neighbourHours` either side of it, each from its own hour's median. The median follows
/// the hour exactly (a weekly backup hour is learned as such); the spread, pooled over
/// neighbouring hours, is steadier than one of a few means.
public struct BaselineLearning: Sendable, Equatable {
    /// Weeks of hourly roll-ups a baseline looks back over.
    public var weeks: Int
    /// Hours either side of an hour of week whose deviations are pooled into its MAD.
    public var neighbourHours: Int
    /// Hourly means an hour of week needs before it has a baseline (and a neighbour before its
    /// deviations count).
    public var minimumSamples: Int

    /// The defaults: 4 weeks, ±1 hour, at least 3 means (three weeks of history).
    public init(weeks: Int = 4, neighbourHours: Int = 1, minimumSamples: Int = 3) {
        precondition(weeks > 0 && (0..<84).contains(neighbourHours) && minimumSamples > 0)
        self.weeks = weeks
        self.neighbourHours = neighbourHours
        self.minimumSamples = minimumSamples
    }

    /// Seconds of history a baseline looks back over.
    public var lookbackSeconds: Double { Double(weeks) * Double(HourOfWeek.count) * 3600 }

    /// The hours of week whose means the baseline of `hour` uses, which are also the hours of
    /// week whose baselines a new hourly mean at `hour` changes.
    public func pooledHours(of hour: Int) -> [Int] {
        (-neighbourHours...neighbourHours).map { HourOfWeek.adding($0, to: hour) }
    }

    /// The baselines of the hours of week in `hours`, learned from `means` (the hour of week of
    /// each hourly mean and its value, all within the lookback window); an hour with too few
    /// means is absent from the result. `samples` is the number of the hour's own means.
    public func baselines(from means: [(hour: Int, value: Double)], for hours: some Sequence<Int>) -> [Int:
        RuleBaseline]
    {
        var byHour = [[Double]](repeating: [], count: HourOfWeek.count)
        for mean in means where mean.value.isFinite { byHour[mean.hour].append(mean.value) }
        var medians = [Double?](repeating: nil, count: HourOfWeek.count)
        func median(of hour: Int) -> Double? {
            if let known = medians[hour] { return known }
            guard byHour[hour].count >= minimumSamples else { return nil }
            medians[hour] = RobustEstimate.median(byHour[hour])
            return medians[hour]
        }
        var result: [Int: RuleBaseline] = [:]
        for hour in hours {
            guard let center = median(of: hour) else { continue }
            var deviations: [Double] = []
            for neighbour in pooledHours(of: hour) {
                guard let level = median(of: neighbour) else { continue }
                deviations += byHour[neighbour].map { abs($0 - level) }
            }
            guard let mad = RobustEstimate.median(deviations) else { continue }
            result[hour] = RuleBaseline(median: center, mad: mad, samples: byHour[hour].count)
        }
        return result
    }
}
