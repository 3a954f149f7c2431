/// How baselines are learned from hourly means (docs/alert-rules.md, "Baselines"): the baseline
/// of an hour of week is the median and MAD of the hourly means of that hour and of the
/// `neighbourHours` either side of it over the last `weeks` weeks, provided there are at least
/// `minimumSamples` of them; with fewer there is no baseline (never a baseline of zero).
public struct BaselineLearning: Sendable, Equatable {
    /// Weeks of hourly roll-ups a baseline looks back over.
    public var weeks: Int
    /// Hours either side of an hour of week pooled with it: 1 pools 3 hours of every week.
    public var neighbourHours: Int
    /// Hourly means an hour of week needs before it has a baseline.
    public var minimumSamples: Int

    /// The defaults: 4 weeks, ±1 hour, at least 6 hourly means (so two weeks of history).
    public init(weeks: Int = 4, neighbourHours: Int = 1, minimumSamples: Int = 6) {
        precondition(weeks > 0 && (0..<84).contains(neighbourHours) && minimumSamples > 0)
        self.weeks = weeks
        self.neighbourHours = neighbourHours
        self.minimumSamples = minimumSamples
    }

    /// Seconds of history a baseline looks back over.
    public var lookbackSeconds: Double { Double(weeks) * Double(HourOfWeek.count) * 3600 }

    /// The hours of week pooled into the baseline of `hour`, which are also the hours of week
    /// whose baselines a new hourly mean at `hour` changes.
    public func pooledHours(of hour: Int) -> [Int] {
        (-neighbourHours...neighbourHours).map { HourOfWeek.adding($0, to: hour) }
    }

    /// The baselines of the hours of week in `hours`, learned from `means` (the hour of week of
    /// each hourly mean and its value, all within the lookback window); an hour with too few
    /// means is absent from the result.
    public func baselines(from means: [(hour: Int, value: Double)], for hours: some Sequence<Int>) -> [Int:
        RuleBaseline]
    {
        var byHour = [[Double]](repeating: [], count: HourOfWeek.count)
        for mean in means where mean.value.isFinite { byHour[mean.hour].append(mean.value) }
        var result: [Int: RuleBaseline] = [:]
        for hour in hours {
            let pooled = pooledHours(of: hour).flatMap { byHour[$0] }
            guard pooled.count >= minimumSamples, let estimate = RobustEstimate.medianAndMAD(pooled) else { continue }
            result[hour] = RuleBaseline(median: estimate.median, mad: estimate.mad, samples: pooled.count)
        }
        return result
    }
}
