import Foundation
import Logging
import OutpostConsole
import OutpostStore
import PostgresNIO

/// `/alerts`: open alerts, the history of resolved ones (filtered, a keyset page at a time) and
/// the maintenance windows active or to come, limited to the operator's regions. The buttons
/// and the form call `/api/v1/alerts/{id}/acknowledge`, `/resolve` and `/api/v1/maintenance`.
struct AlertsPageRoute: Sendable {
    /// Most open alerts listed.
    static let openLimit = 500
    /// Resolved alerts a page of the history lists.
    static let historyPageSize = 50

    let logger: Logger

    func register(on site: ConsoleSite) {
        let desk = AlertDesk(logger: logger)
        let status = StatusStore(logger: logger)
        let windows = MaintenanceWindowStore(logger: logger)
        let regions = RegionLookup(logger: logger)
        site.page("/alerts") { request, _, viewer in
            let query = PageQuery(request)
            let severity = try query.choice("severity", among: AlertRoutes.severities)
            let branch = try query.text("branch", maximumLength: 200)
            let device = try query.text("device", maximumLength: AlertFilter.maximumDeviceTextLength)
            let cursor = try query.text("cursor", maximumLength: 1000)
            let scope = viewer.principal.regionScope
            var openFilter = AlertFilter()
            openFilter.open = true
            openFilter.regions = scope
            openFilter.limit = Self.openLimit
            var historyFilter = AlertFilter()
            historyFilter.open = false
            historyFilter.regions = scope
            historyFilter.branch = branch
            historyFilter.severity = severity.map { [$0] }
            historyFilter.limit = Self.historyPageSize
            historyFilter.cursor = cursor
            historyFilter.deviceText = device
            let now = Date()
            let (open, history, branches, listed) = try await viewer.run { [openFilter, historyFilter] connection in
                (
                    try await desk.list(openFilter, on: connection),
                    try await desk.list(historyFilter, on: connection),
                    try await status.branches(on: connection),
                    try await windows.list(includeEnded: false, now: now, on: connection)
                )
            }
            let shown = try await viewer.run { connection in
                try await Self.reachable(listed, viewer: viewer, regions: regions, on: connection)
            }
            let branchNames = branches.filter { viewer.reaches($0.region) }.map(\.name)
            let page = AlertsPage(
                frame: viewer.frame(title: "Alerts", section: "alerts"),
                open: open.alerts.map { Self.line($0, viewer.clock, now: now) },
                openShownLimit: open.nextCursor == nil ? nil : Self.openLimit,
                history: history.alerts.map { Self.line($0, viewer.clock, now: now) },
                filter: .init(
                    severities: AlertRoutes.severities.map { .init(value: $0, label: $0, selected: $0 == severity) },
                    branches: branchNames.map { .init(value: $0, label: $0, selected: $0 == branch) },
                    device: device ?? ""),
                olderHref: history.nextCursor.map { next in
                    PageQuery.link(
                        "/alerts", [("severity", severity), ("branch", branch), ("device", device), ("cursor", next)])
                },
                newestHref: cursor == nil
                    ? nil
                    : PageQuery.link("/alerts", [("severity", severity), ("branch", branch), ("device", device)]),
                windows: shown.map { window, canEnd in
                    Self.line(window, viewer.clock, now: now, canEnd: canEnd && viewer.may(.editDevices))
                },
                canSchedule: viewer.may(.editDevices), branchNames: branchNames,
                zoneOffsetMinutes: (TimeZone(identifier: viewer.clock.zone.rawValue)?.secondsFromGMT(for: now) ?? 0)
                    / 60)
            return HTMLResponse.page(page)
        }
    }

    /// The windows that touch the operator's regions, each with whether all its targets lie in
    /// them (what ending it takes, as `POST /api/v1/maintenance/{id}/end` decides).
    static func reachable(
        _ windows: [MaintenanceWindowRecord], viewer: ConsoleViewer, regions: RegionLookup,
        on connection: PostgresConnection
    ) async throws -> [(MaintenanceWindowRecord, Bool)] {
        guard let scope = viewer.principal.regionScope else { return windows.map { ($0, true) } }
        var shown: [(MaintenanceWindowRecord, Bool)] = []
        for window in windows {
            let targets = window.targets
            var reached = targets.regions.map(scope.contains)
            for branch in targets.branchNames {
                reached.append(viewer.reaches(try await regions.region(ofBranch: branch, on: connection)))
            }
            let ids = targets.devices.map(\.id)
            let outside = Set(try await regions.devicesOutside(scope, among: ids, on: connection))
            reached += ids.map { !outside.contains($0) }
            if reached.contains(true) { shown.append((window, !reached.contains(false))) }
        }
        return shown
    }

    static func line(_ alert: AlertView, _ clock: OperatorClock, now: Date) -> AlertsPage.AlertLine {
        AlertsPage.AlertLine(
            id: alert.id.uuidString.lowercased(), severity: alert.severity, since: clock.dateTime(alert.triggeredAt),
            age: OperatorClock.age(of: alert.triggeredAt, now: now), device: alert.deviceName,
            deviceID: alert.deviceID?.uuidString.lowercased(), branch: alert.branchName, rule: alert.ruleName,
            message: alert.message, value: alert.value, acknowledged: alert.acknowledged,
            acknowledgedBy: alert.acknowledgedBy, acknowledgedAt: alert.acknowledgedAt.map(clock.dateTime),
            acknowledgementComment: alert.acknowledgementComment, resolvedAt: alert.resolvedAt.map(clock.dateTime),
            resolvedBy: alert.resolvedBy, resolutionComment: alert.resolutionComment,
            inMaintenance: alert.inMaintenance)
    }

    static func line(_ window: MaintenanceWindowRecord, _ clock: OperatorClock, now: Date, canEnd: Bool)
        -> AlertsPage.WindowLine
    {
        let targets =
            window.targets.devices.map(\.name) + window.targets.branchNames.map { "branch \($0)" }
            + window.targets.regions.map { "region \($0)" }
        return AlertsPage.WindowLine(
            id: window.id.uuidString.lowercased(), name: window.name, active: window.isActive(at: now),
            starts: clock.dateTime(window.startsAt), ends: window.endsAt.map(clock.dateTime),
            schedule: window.schedule, targets: targets.joined(separator: ", "), comment: window.comment,
            createdBy: window.createdBy, canEnd: canEnd)
    }
}
