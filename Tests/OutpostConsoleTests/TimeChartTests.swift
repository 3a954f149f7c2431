import Foundation
import Testing

@testable import OutpostConsole

/// The server-drawn SVG chart: points placed by time and value, lines broken at gaps, text
/// escaped, axis labels in the operator's zone.
@Suite("Console: time charts")
struct TimeChartTests {
    static let start = Date(timeIntervalSince1970: 1_780_000_000)

    static func minutes(_ values: [Double?]) -> [ChartSeries.Point] {
        values.enumerated().map { .init(time: start.addingTimeInterval(Double($0.offset) * 60), value: $0.element) }
    }

    @Test("every value becomes a vertex; a missing bucket breaks the line into two paths")
    func gapsBreakLines() {
        let chart = TimeChart(
            title: "RTT", unit: "ms", from: Self.start, to: Self.start.addingTimeInterval(600), bucketSeconds: 60,
            series: [ChartSeries(name: "mean", style: "line-avg", points: Self.minutes([1, 2, 3, nil, 5, 6]))])
        let svg = chart.svg(clock: OperatorClock(zone: .utc))
        #expect(chart.plottedPoints == 5)
        #expect(svg.contains("data-points=\"5\""))
        let paths = svg.components(separatedBy: "<path class=\"line-avg\"").count - 1
        #expect(paths == 2)
        // 2 + 1 vertices in the first path ("M" then "L"), 1 + 1 in the second.
        #expect(svg.components(separatedBy: " L").count - 1 == 3)
    }

    @Test("points further apart than two buckets break the line even without a nil between them")
    func timeGap() {
        let points: [ChartSeries.Point] = [
            .init(time: Self.start, value: 1), .init(time: Self.start.addingTimeInterval(60), value: 1),
            .init(time: Self.start.addingTimeInterval(600), value: 1),
        ]
        let svg = TimeChart(
            title: "RTT", unit: "ms", from: Self.start, to: Self.start.addingTimeInterval(660), bucketSeconds: 60,
            series: [ChartSeries(name: "mean", style: "line-avg", points: points)]
        ).svg(clock: OperatorClock(zone: .utc))
        #expect(svg.components(separatedBy: "<path class=\"line-avg\"").count - 1 == 2)
    }

    @Test("time ticks fall on round steps of the operator's zone, days on its midnights")
    func timeTicks() {
        #expect(TimeChart.timeStep(span: 3600) == 600)
        #expect(TimeChart.timeStep(span: 86_400) == 21_600)
        #expect(TimeChart.timeStep(span: 30 * 86_400) == 604_800)
        let ticks = TimeChart.timeTicks(
            from: Self.start, to: Self.start.addingTimeInterval(3 * 86_400), step: 86_400, offset: 4 * 3600)
        #expect(ticks.count == 3)
        // Tbilisi's midnights are 20:00 UTC.
        #expect(ticks.allSatisfy { Int($0.timeIntervalSince1970) % 86_400 == 20 * 3600 })
    }

    @Test("the value axis tops at a round number above the highest value; a fixed ceiling holds")
    func valueAxis() {
        #expect(TimeChart.niceCeiling(7.3) == 10)
        #expect(TimeChart.niceCeiling(180) == 200)
        #expect(TimeChart.niceCeiling(0.42) == 0.5)
        #expect(TimeChart.niceCeiling(0) == 1)
        #expect(TimeChart.niceCeiling(.infinity) == 1)
        let svg = TimeChart(
            title: "Loss", unit: "%", from: Self.start, to: Self.start.addingTimeInterval(300), bucketSeconds: 60,
            series: [ChartSeries(name: "loss", style: "area-loss", points: Self.minutes([0, 20]), filled: true)],
            ceiling: 100
        ).svg(clock: OperatorClock(zone: .utc))
        #expect(svg.contains(">100 %<"))
        #expect(svg.contains(" Z\""), "a filled series closes its area")
    }

    @Test("names from devices are escaped; time labels follow the operator's zone")
    func escapingAndZone() {
        let chart = TimeChart(
            title: "<script>x</script>", unit: "ms", from: Self.start, to: Self.start.addingTimeInterval(3600),
            bucketSeconds: 60,
            series: [ChartSeries(name: "a\"b", style: "line-avg", points: Self.minutes([1]))])
        let utc = chart.svg(clock: OperatorClock(zone: .utc))
        #expect(!utc.contains("<script>"))
        #expect(utc.contains("&lt;script&gt;"))
        #expect(utc.contains("a&quot;b"))
        let tbilisi = chart.svg(clock: OperatorClock(zone: .tbilisi))
        // 1,780,000,000 s is 20:26:40 UTC, 00:26:40 in Tbilisi (UTC+4): an hour's ticks fall
        // every ten minutes, 20:30 … 21:20 UTC, 00:30 … 01:20 in Tbilisi.
        #expect(utc.contains(">20:30<"))
        #expect(utc.contains(">21:20<"))
        #expect(tbilisi.contains(">00:30<"))
        #expect(!utc.contains(">20:26<"))
    }
}
