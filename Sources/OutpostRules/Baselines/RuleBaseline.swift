/// What is normal for a variable in one hour of the week: the median of its hourly means and
/// their median absolute deviation (MAD), learned from the hourly roll-ups
/// (docs/alert-rules.md, "Baselines").
public struct RuleBaseline: Sendable, Equatable {
    /// The median of the hourly means.
    public var median: Double
    /// The median absolute deviation of the hourly means from `median`.
    public var mad: Double
    /// How many hourly means the baseline was learned from.
    public var samples: Int
    /// The smallest spread an anomaly score divides by, in the variable's unit (see `spread`).
    public var minimumSpread: Double

    /// A baseline of `median` and `mad` learned from `samples` hourly means.
    public init(median: Double, mad: Double, samples: Int, minimumSpread: Double = 0) {
        self.median = median
        self.mad = mad
        self.samples = samples
        self.minimumSpread = minimumSpread
    }

    /// MAD times this estimates the standard deviation of normally distributed values.
    public static let madToStandardDeviation = 1.4826
    /// The spread is at least this fraction of the median's magnitude: a deviation of a few
    /// percent from a very steady value is no anomaly.
    public static let relativeSpreadFloor = 0.1

    /// What one unit of anomaly score is: the larger of 1.4826 × MAD, 10 % of |median| and
    /// `minimumSpread` (never zero).
    public var spread: Double {
        Swift.max(
            Self.madToStandardDeviation * mad, Self.relativeSpreadFloor * abs(median), minimumSpread,
            Double.leastNormalMagnitude)
    }

    /// How many spreads `value` lies above the median (negative below it).
    public func score(_ value: Double) -> Double {
        (value - median) / spread
    }
}
