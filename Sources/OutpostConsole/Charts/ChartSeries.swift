import Foundation

/// One line of a chart: values over time, `nil` where the bucket had none (the line breaks).
public struct ChartSeries: Sendable {
    /// One value at one time.
    public struct Point: Sendable, Equatable {
        public let time: Date
        public let value: Double?

        public init(time: Date, value: Double?) {
            self.time = time
            self.value = value
        }
    }

    /// The legend's name.
    public let name: String
    /// The CSS class of the line (`line-avg`, `line-max`, `area-loss`, …).
    public let style: String
    public let points: [Point]
    /// Whether the series is drawn as a filled area down to zero rather than a line.
    public let filled: Bool

    public init(name: String, style: String, points: [Point], filled: Bool = false) {
        self.name = name
        self.style = style
        self.points = points
        self.filled = filled
    }
}
