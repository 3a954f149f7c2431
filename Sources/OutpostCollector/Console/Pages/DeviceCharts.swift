import Foundation
import OutpostConsole
import OutpostStore

/// The charts of a device page, built from its stored history.
enum DeviceCharts {
    /// At most this many SNMP item charts on one page.
    static let maximumItemCharts = 12

    /// RTT (min, mean, max) and loss over the range, each with its figures.
    static func ping(_ history: PingHistory, clock: OperatorClock) -> [DeviceDetailPage.Chart] {
        let points = history.points
        func series(_ name: String, _ style: String, filled: Bool = false, _ value: (PingHistoryPoint) -> Double?)
            -> ChartSeries
        {
            ChartSeries(
                name: name, style: style, points: points.map { .init(time: $0.time, value: value($0)) },
                filled: filled)
        }
        let rtt = TimeChart(
            title: "Round-trip time", unit: "ms", from: history.from, to: history.to,
            bucketSeconds: history.bucketSeconds,
            series: [
                series("max", "line-max", \.maxRTT), series("mean", "line-avg", \.avgRTT),
                series("min", "line-min", \.minRTT),
            ])
        let loss = TimeChart(
            title: "Packet loss", unit: "%", from: history.from, to: history.to, bucketSeconds: history.bucketSeconds,
            series: [series("loss", "area-loss", filled: true, \.lossPercent)], ceiling: 100)
        let samples = points.reduce(0) { $0 + $1.samples }
        let weighted = points.compactMap { point in point.avgRTT.map { ($0, Double(point.samples)) } }
        let weight = weighted.reduce(0) { $0 + $1.1 }
        let mean = weight > 0 ? weighted.reduce(0) { $0 + $1.0 * $1.1 } / weight : nil
        let highest = points.compactMap(\.maxRTT).max()
        let up = points.reduce(0) { $0 + $1.upSeconds }
        let down = points.reduce(0) { $0 + $1.downSeconds }
        let lossValues = points.compactMap { point in point.lossPercent.map { ($0, Double(point.samples)) } }
        let lossWeight = lossValues.reduce(0) { $0 + $1.1 }
        let meanLoss = lossWeight > 0 ? lossValues.reduce(0) { $0 + $1.0 * $1.1 } / lossWeight : nil
        return [
            .init(
                title: rtt.title, svg: rtt.svg(clock: clock), points: rtt.plottedPoints,
                summary: "mean \(milliseconds(mean)), highest \(milliseconds(highest)), \(samples) rounds"),
            .init(
                title: loss.title, svg: loss.svg(clock: clock), points: loss.plottedPoints,
                summary:
                    "mean loss \(percent(meanLoss)), available \(percent(up + down > 0 ? 100 * up / (up + down) : nil))"
            ),
        ]
    }

    /// One chart per numeric SNMP item (the first ``maximumItemCharts``).
    static func items(_ histories: [ItemHistory], from: Date, to: Date, clock: OperatorClock) -> [DeviceDetailPage
        .Chart]
    {
        histories.prefix(maximumItemCharts).map { item in
            let unit = (item.unit ?? "") + (item.isRate && item.unit == nil ? "/s" : "")
            let chart = TimeChart(
                title: item.name, unit: unit, from: from, to: to, bucketSeconds: item.bucketSeconds,
                series: [
                    ChartSeries(
                        name: item.isRate ? "rate" : "value", style: "line-avg",
                        points: item.points.map { .init(time: $0.time, value: $0.avg) })
                ])
            let last = item.points.last?.avg.map { TimeChart.label($0, unit: unit) } ?? "no samples"
            return .init(
                title: item.name, svg: chart.svg(clock: clock), points: chart.plottedPoints,
                summary: "\(item.oid) · latest \(last)")
        }
    }

    private static func milliseconds(_ value: Double?) -> String {
        value.map { String(format: "%.2f ms", $0) } ?? "—"
    }

    private static func percent(_ value: Double?) -> String {
        value.map { String(format: "%.2f %%", $0) } ?? "—"
    }
}
