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
}

/// A rule context held in memory: a dictionary of sample arrays.
public struct RuleWindows: RuleContext, Sendable {
    /// The time the rule is evaluated at.
    public var now: Date
    /// Samples per variable name, each array in ascending timestamp order.
    public var series: [String: [RuleSample]]

    /// A context at `now` with `series`.
    public init(now: Date, series: [String: [RuleSample]] = [:]) {
        self.now = now
        self.series = series
    }

    /// The samples of `variable`, or `nil` when there is no series of that name.
    public func samples(of variable: String) -> [RuleSample]? {
        series[variable]
    }
}
