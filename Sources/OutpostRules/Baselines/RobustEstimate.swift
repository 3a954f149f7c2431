/// Median and median absolute deviation, the robust estimators baselines are made of: a few
/// outlying hours (an outage, a backup) move neither.
public enum RobustEstimate {
    /// The median of `values` (the mean of the two middle ones for an even count); `nil` when empty.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The median of `values` and the median of their absolute deviations from it; `nil` when empty.
    public static func medianAndMAD(_ values: [Double]) -> (median: Double, mad: Double)? {
        guard let median = median(values), let mad = Self.median(values.map { abs($0 - median) }) else {
            return nil
        }
        return (median, mad)
    }
}
