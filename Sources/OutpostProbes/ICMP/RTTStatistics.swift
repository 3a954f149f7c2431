/// Minimum, maximum, mean and population standard deviation of round-trip times (Welford).
struct RTTStatistics {
    private(set) var count = 0
    private(set) var minimum = Double.infinity
    private(set) var maximum = -Double.infinity
    private(set) var mean = 0.0
    private var squaredDeviations = 0.0

    /// Adds one round-trip time in milliseconds.
    mutating func add(_ milliseconds: Double) {
        count += 1
        minimum = min(minimum, milliseconds)
        maximum = max(maximum, milliseconds)
        let delta = milliseconds - mean
        mean += delta / Double(count)
        squaredDeviations += delta * (milliseconds - mean)
    }

    /// Population standard deviation (jitter); `nil` without samples.
    var standardDeviation: Double? {
        count > 0 ? (squaredDeviations / Double(count)).squareRoot() : nil
    }
}
