/// A variable's baselines for the hours of the week that have one.
public struct WeeklyBaseline: Sendable, Equatable {
    private var hours: [RuleBaseline?]

    /// No baseline for any hour.
    public init() {
        hours = Array(repeating: nil, count: HourOfWeek.count)
    }

    /// The baselines of `byHour` (hour of week → baseline; hours outside 0...167 are ignored).
    public init(_ byHour: [Int: RuleBaseline]) {
        self.init()
        for (hour, baseline) in byHour where hours.indices.contains(hour) { hours[hour] = baseline }
    }

    /// The baseline of an hour of week (0...167), `nil` when it has none.
    public subscript(hour: Int) -> RuleBaseline? {
        get { hours.indices.contains(hour) ? hours[hour] : nil }
        set {
            precondition(hours.indices.contains(hour), "hour of week \(hour) outside 0...167")
            hours[hour] = newValue
        }
    }

    /// Whether no hour has a baseline.
    public var isEmpty: Bool { hours.allSatisfy { $0 == nil } }
}
