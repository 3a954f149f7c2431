import Foundation

/// What a rule is evaluated against: the current time and, per variable name, its recent
/// samples in ascending timestamp order.
///
/// Samples after `now` are ignored. A variable the context has no series for is missing data:
/// every use of it is `unknown` (including `count`, which is 0 only for a series that exists but
/// has no sample in the window).
public protocol RuleContext {
    /// The samples of one variable, oldest first.
    associatedtype Samples: RandomAccessCollection where Samples.Element == RuleSample

    /// The time the rule is evaluated at (UTC).
    var now: Date { get }

    /// The series of `variable`, or `nil` when the context knows nothing of it.
    func samples(of variable: String) -> Samples?

    /// The baseline of `variable` for the hour of week of `time`, or `nil` when it has none
    /// (too little history): what `baseline()` and `anomaly()` read. None by default.
    func baseline(of variable: String, at time: Date) -> RuleBaseline?
}

extension RuleContext {
    /// No baselines: `baseline()` and `anomaly()` are unknown.
    public func baseline(of variable: String, at time: Date) -> RuleBaseline? { nil }
}

/// A rule context held in memory: a dictionary of sample arrays.
public struct RuleWindows: RuleContext, Sendable {
    /// The time the rule is evaluated at.
    public var now: Date
    /// Samples per variable name, each array in ascending timestamp order.
    public var series: [String: [RuleSample]]
    /// Baselines per variable name, by hour of week.
    public var baselines: [String: WeeklyBaseline]

    /// A context at `now` with `series` and `baselines`.
    public init(now: Date, series: [String: [RuleSample]] = [:], baselines: [String: WeeklyBaseline] = [:]) {
        self.now = now
        self.series = series
        self.baselines = baselines
    }

    /// The samples of `variable`, or `nil` when there is no series of that name.
    public func samples(of variable: String) -> [RuleSample]? {
        series[variable]
    }

    /// The baseline of `variable` for the hour of week of `time`, if it has one.
    public func baseline(of variable: String, at time: Date) -> RuleBaseline? {
        baselines[variable]?[HourOfWeek.of(time)]
    }
}
