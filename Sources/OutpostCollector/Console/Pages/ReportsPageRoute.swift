import Foundation
import Logging
import OutpostConsole
import OutpostStore

/// `/reports`: the availability report (docs/reports.md) over `from`..`to` (days in the
/// operator's zone, `to` excluded; default the previous calendar month), per `by`, with the
/// outages of the row `group`. A regional manager sees their regions only.
struct ReportsPageRoute: Sendable {
    let logger: Logger

    func register(on site: ConsoleSite) {
        let store = ReportStore(logger: logger)
        site.page("/reports") { request, _, viewer in
            let query = PageQuery(request)
            let clock = viewer.clock
            let (defaultFrom, defaultTo) = Self.previousMonth(clock: clock)
            let fromDay = try query.text("from", maximumLength: 10) ?? defaultFrom
            let toDay = try query.text("to", maximumLength: 10) ?? defaultTo
            let grouping = try ReportGrouping(
                parsing: try query.choice("by", among: ReportGrouping.allCases.map(\.rawValue)) ?? "device")
            let group = try query.text("group", maximumLength: 200)
            let window = try ReportWindow(
                from: try Self.day(fromDay, field: "from", clock: clock),
                to: try Self.day(toDay, field: "to", clock: clock))
            let scope = viewer.principal.regionScope
            let report = try await viewer.run { connection in
                try await store.availability(
                    window, by: grouping, regions: scope, outages: group.map { .group($0) } ?? .omitted, on: connection)
            }
            let base: [(String, String?)] = [("from", fromDay), ("to", toDay), ("by", grouping.rawValue)]
            let rows = report.rows.map { row in
                ReportsPage.Row(
                    key: row.key, name: row.name, devices: row.devices,
                    availability: ReportText.percent(row.availabilityPercent),
                    down: ReportText.duration(row.downSeconds),
                    outages: row.outages, mttr: ReportText.duration(row.mttrSeconds),
                    mtbf: ReportText.duration(row.mtbfSeconds),
                    href: PageQuery.link("/reports", base + [("group", row.key)]), selected: row.key == group)
            }
            let drilled = report.outages
            let outages = drilled.prefix(ReportsPage.maximumOutages).map { outage in
                ReportsPage.OutageLine(
                    deviceID: outage.deviceID.uuidString.lowercased(), device: outage.deviceName, branch: outage.branch,
                    start: clock.dateTime(outage.start), end: clock.dateTime(outage.end),
                    duration: ReportText.duration(outage.durationSeconds), inMaintenance: outage.inMaintenance,
                    alerts: outage.alerts.map { "\($0.severity): \($0.ruleName ?? "alert")" }.joined(separator: ", "))
            }
            let api: [(String, String?)] = [
                ("from", Self.iso(window.from)), ("to", Self.iso(window.to)), ("by", grouping.rawValue),
                ("format", "csv"),
            ]
            return HTMLResponse.page(
                ReportsPage(
                    frame: viewer.frame(title: "Reports", section: "reports"), from: fromDay, to: toDay,
                    groupings: ReportGrouping.allCases.map {
                        Choice(value: $0.rawValue, label: $0.rawValue, selected: $0 == grouping)
                    },
                    rows: rows, drilledTo: group.flatMap { key in report.rows.first { $0.key == key }?.name },
                    outages: Array(outages), moreOutages: drilled.count - outages.count,
                    rowsCSV: PageQuery.link("/api/v1/reports/availability", api),
                    outagesCSV: PageQuery.link(
                        "/api/v1/reports/availability",
                        api + [("part", "outages"), ("group", group), ("zone", clock.zone.rawValue)])))
        }
    }

    /// Midnight of `text` (`YYYY-MM-DD`) in the operator's zone.
    static func day(_ text: String, field: String, clock: OperatorClock) throws -> Date {
        guard text.count == 10, let utc = try? Date(text + "T00:00:00Z", strategy: .iso8601) else {
            throw APIError.badRequest("\(field): a date such as 2026-11-01", field: field)
        }
        return utc.addingTimeInterval(-Double(clock.secondsFromGMT(at: utc)))
    }

    /// The first days of the previous and of this month in the operator's zone.
    static func previousMonth(clock: OperatorClock, now: Date = Date()) -> (String, String) {
        let today = clock.day(now).split(separator: "-").compactMap { Int($0) }
        let (year, month) = (today[0], today[1])
        let (previousYear, previousMonth) = month == 1 ? (year - 1, 12) : (year, month - 1)
        return (
            String(format: "%04d-%02d-01", previousYear, previousMonth), String(format: "%04d-%02d-01", year, month)
        )
    }

    private static func iso(_ date: Date) -> String { date.formatted(.iso8601) }
}
