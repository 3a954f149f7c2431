import Foundation

/// Which roll-up answers for which (device, hour) of a report's range.
///
/// A whole hour inside the range that no maintenance period touches is read from
/// `ping_rollup_1h`. Of an hour only partly inside the range (its first or last), or partly in
/// maintenance, the spans inside the range and outside maintenance are read minute by minute
/// from `ping_rollup_1m`, each minute weighted by its seconds within the span. An hour wholly
/// in maintenance is not read.
struct ReadingPlan: Sendable {
    /// Whole hours read from `ping_rollup_1h`: [`firstHour`, `endHour`).
    let firstHour: Date
    let endHour: Date
    /// (device, hour) pairs within [`firstHour`, `endHour`) that the hourly read leaves out.
    private(set) var skippedHours: [(device: UUID, hour: Date)] = []
    /// Spans read minute by minute: disjoint per device, each within one hour.
    private(set) var spans: [(device: UUID, start: Date, end: Date)] = []

    init(window: ReportWindow, devices: [UUID], maintenance: MaintenancePeriods) {
        let from = window.from.timeIntervalSince1970
        let to = window.to.timeIntervalSince1970
        let first = (from / 3_600).rounded(.up) * 3_600
        let end = max(first, (to / 3_600).rounded(.down) * 3_600)
        firstHour = Date(timeIntervalSince1970: first)
        endHour = Date(timeIntervalSince1970: end)
        var edges: [Double] = []
        if from < first { edges.append(first - 3_600) }
        if end < to, end >= first, !edges.contains(end) { edges.append(end) }
        for device in devices {
            let periods = maintenance.byDevice[device] ?? []
            var hours = Set(edges)
            for period in periods {
                var hour = (period.start.timeIntervalSince1970 / 3_600).rounded(.down) * 3_600
                while hour < period.end.timeIntervalSince1970 {
                    hours.insert(hour)
                    hour += 3_600
                }
            }
            for hour in hours.sorted() {
                let span = DateInterval(
                    start: Date(timeIntervalSince1970: max(hour, from)),
                    end: Date(timeIntervalSince1970: min(hour + 3_600, to)))
                let within = periods.compactMap { $0.intersection(with: span) }.filter { $0.duration > 0 }
                let covered = within.reduce(0) { $0 + $1.duration }
                let date = Date(timeIntervalSince1970: hour)
                let isWhole = hour >= first && hour < end
                if isWhole { skippedHours.append((device, date)) }
                guard covered < span.duration else { continue }
                var start = span.start
                for piece in within.sorted(by: { $0.start < $1.start }) {
                    if start < piece.start { spans.append((device, start, piece.start)) }
                    start = max(start, piece.end)
                }
                if start < span.end { spans.append((device, start, span.end)) }
            }
        }
    }
}
