import Foundation

/// A time chart drawn as inline SVG on the server: no chart library, nothing to load. Lines
/// break where buckets are missing (more than twice the bucket length apart), the value axis
/// starts at zero, and the time axis is labelled in the operator's zone. Every text in it is
/// escaped: item names come from devices.
public struct TimeChart: Sendable {
    /// The chart's title (also its accessible name).
    public let title: String
    /// The unit of the value axis (`ms`, `%`, `bit/s`, …).
    public let unit: String
    public let from: Date
    public let to: Date
    /// Length of one bucket: points further apart than twice this break the line.
    public let bucketSeconds: Int
    public let series: [ChartSeries]
    /// A fixed top of the value axis (100 for percentages); `nil`: from the data.
    public let ceiling: Double?

    static let width = 960.0
    static let height = 240.0
    static let left = 64.0
    static let right = 16.0
    static let top = 14.0
    static let bottom = 28.0

    public init(
        title: String, unit: String, from: Date, to: Date, bucketSeconds: Int, series: [ChartSeries],
        ceiling: Double? = nil
    ) {
        self.title = title
        self.unit = unit
        self.from = from
        self.to = to
        self.bucketSeconds = max(1, bucketSeconds)
        self.series = series
        self.ceiling = ceiling
    }

    /// How many points carry a value, over every series.
    public var plottedPoints: Int {
        series.reduce(0) { $0 + $1.points.count { $0.value != nil } }
    }

    /// The SVG, with `clock` labelling the time axis.
    public func svg(clock: OperatorClock) -> String {
        let span = max(1, to.timeIntervalSince(from))
        let highest = ceiling ?? series.flatMap { $0.points.compactMap(\.value) }.filter(\.isFinite).max() ?? 1
        let step = Self.niceCeiling(highest / 4)
        let top = max(step, (highest / step).rounded(.up) * step)
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        func x(_ time: Date) -> Double { Self.left + plotWidth * time.timeIntervalSince(from) / span }
        func y(_ value: Double) -> Double { Self.top + plotHeight * (1 - min(max(value / top, 0), 1)) }

        var svg = """
            <svg class="chart" viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" role="img" \
            aria-label="\(Self.escape(title))" data-points="\(plottedPoints)" xmlns="http://www.w3.org/2000/svg">
            <title>\(Self.escape(title))</title>

            """
        for index in 0...Int((top / step).rounded()) {
            let value = step * Double(index)
            let position = Self.format(y(value))
            svg += "<line class=\"grid\" x1=\"\(Int(Self.left))\" x2=\"\(Int(Self.width - Self.right))\" "
            svg += "y1=\"\(position)\" y2=\"\(position)\"/>"
            svg += "<text class=\"axis\" x=\"\(Int(Self.left - 6))\" y=\"\(position)\" text-anchor=\"end\" "
            svg += "dominant-baseline=\"middle\">\(Self.escape(Self.label(value, unit: unit)))</text>\n"
        }
        let tickSeconds = Self.timeStep(span: span)
        for time in Self.timeTicks(from: from, to: to, step: tickSeconds, offset: clock.secondsFromGMT(at: from)) {
            let text =
                tickSeconds >= 86_400
                ? clock.day(time) : span > 2 * 86_400 ? clock.dayHourMinute(time) : clock.hourMinute(time)
            svg += "<line class=\"grid\" x1=\"\(Self.format(x(time)))\" x2=\"\(Self.format(x(time)))\" "
            svg += "y1=\"\(Int(Self.top))\" y2=\"\(Int(Self.height - Self.bottom))\"/>"
            svg += "<text class=\"axis\" x=\"\(Self.format(x(time)))\" y=\"\(Int(Self.height - 8))\" "
            svg += "text-anchor=\"middle\">\(Self.escape(text))</text>\n"
        }
        let gap = Double(bucketSeconds) * 2
        for series in series {
            var runs: [[(Double, Double)]] = []
            var run: [(Double, Double)] = []
            var previous: Date?
            for point in series.points {
                guard let value = point.value, value.isFinite else {
                    if !run.isEmpty { runs.append(run) }
                    run = []
                    previous = nil
                    continue
                }
                if let previous, point.time.timeIntervalSince(previous) > gap, !run.isEmpty {
                    runs.append(run)
                    run = []
                }
                run.append((x(point.time), y(value)))
                previous = point.time
            }
            if !run.isEmpty { runs.append(run) }
            for run in runs {
                var path = run.enumerated().map { index, point in
                    (index == 0 ? "M" : "L") + Self.format(point.0) + " " + Self.format(point.1)
                }.joined(separator: " ")
                if series.filled, let first = run.first, let last = run.last {
                    let base = Self.format(y(0))
                    path += " L\(Self.format(last.0)) \(base) L\(Self.format(first.0)) \(base) Z"
                } else if run.count == 1, let only = run.first {
                    // A lone point: a short tick, so that it shows.
                    path += " L\(Self.format(only.0 + 1.5)) \(Self.format(only.1))"
                }
                svg += "<path class=\"\(Self.escape(series.style))\" d=\"\(path)\"/>\n"
            }
        }
        var legendX = Self.left
        for series in series {
            svg += "<rect class=\"\(Self.escape(series.style)) key\" x=\"\(Self.format(legendX))\" y=\"2\" "
            svg += "width=\"10\" height=\"10\"/>"
            svg +=
                "<text class=\"axis\" x=\"\(Self.format(legendX + 14))\" y=\"11\">\(Self.escape(series.name))</text>\n"
            legendX += 24 + Double(series.name.count) * 7
        }
        return svg + "</svg>"
    }

    /// The time steps the time axis may take, in seconds: round minutes, hours and days.
    static let timeSteps: [TimeInterval] = [
        60, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800,
    ]

    /// The smallest time step giving at most six ticks over `span` seconds.
    static func timeStep(span: TimeInterval) -> TimeInterval {
        timeSteps.first { span / $0 <= 6 } ?? timeSteps[timeSteps.count - 1]
    }

    /// The instants in `from...to` that are whole multiples of `step` in a zone `offset`
    /// seconds from UTC (midnights of the operator's zone for a step of a day).
    static func timeTicks(from: Date, to: Date, step: TimeInterval, offset: Int) -> [Date] {
        let shifted = from.timeIntervalSince1970 + Double(offset)
        var tick = (shifted / step).rounded(.up) * step - Double(offset)
        var ticks: [Date] = []
        while tick <= to.timeIntervalSince1970, ticks.count < 20 {
            ticks.append(Date(timeIntervalSince1970: tick))
            tick += step
        }
        return ticks
    }

    /// The smallest of 1, 2, 2.5 or 5 × 10ⁿ at or above `value` (1 for nothing above zero).
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        let magnitude = pow(10, floor(log10(value)))
        for factor in [1.0, 2, 2.5, 5, 10] where factor * magnitude >= value {
            return factor * magnitude
        }
        return 10 * magnitude
    }

    /// An axis label: `12.5 ms`, `1.2k bit/s`.
    public static func label(_ value: Double, unit: String) -> String {
        let (scaled, prefix): (Double, String) =
            switch abs(value) {
            case 1e9...: (value / 1e9, "G")
            case 1e6...: (value / 1e6, "M")
            case 1e4...: (value / 1e3, "k")
            default: (value, "")
            }
        var number = String(format: "%.2f", scaled)
        while number.hasSuffix("0") { number.removeLast() }
        if number.hasSuffix(".") { number.removeLast() }
        return "\(number)\(prefix.isEmpty ? " " : " \(prefix)")\(unit)".trimmingCharacters(in: .whitespaces)
    }

    /// `value` with one decimal, as SVG coordinates are written.
    static func format(_ value: Double) -> String {
        String(format: "%.1f", value)
    }

    /// `text` safe inside SVG text and attributes.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
