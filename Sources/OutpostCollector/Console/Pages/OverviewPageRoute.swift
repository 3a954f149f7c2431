import Foundation
import Logging
import OutpostConsole
import OutpostStore

/// `/`: the overview, limited to the operator's regions.
struct OverviewPageRoute: Sendable {
    /// The severities in the order the overview lists them.
    static let severities = ["critical", "high", "warning", "medium", "low", "info"]
    /// How many open alerts the overview lists.
    static let alertLines = 15
    /// An agent seen within this many seconds counts as online.
    static let agentOnlineSeconds: TimeInterval = 120

    let logger: Logger

    func register(on site: ConsoleSite) {
        let store = StatusStore(logger: logger)
        site.page("/") { _, _, viewer in
            let scope = viewer.principal.regionScope
            let (branches, alerts, agents, freshness) = try await viewer.run { connection in
                (
                    try await store.branches(on: connection), try await store.openAlerts(on: connection),
                    try await store.agents(on: connection), try await store.freshness(regions: scope, on: connection)
                )
            }
            let visible = branches.filter { viewer.reaches($0.region) }
            let regionOf = Dictionary(branches.map { ($0.name, $0.region) }, uniquingKeysWith: { first, _ in first })
            let reachable = { (branch: String?) in viewer.reaches(branch.flatMap { regionOf[$0] ?? nil }) }
            let openAlerts = alerts.filter { reachable($0.branch) }
            let now = Date()
            let onlineAgents = agents.filter { agent in
                reachable(agent.branch) && agent.status == "active"
                    && (agent.lastSeen.map { now.timeIntervalSince($0) < Self.agentOnlineSeconds } ?? false)
            }
            let page = OverviewPage(
                frame: viewer.frame(title: "Overview", section: "overview"),
                devices: [
                    .init(label: "devices up", count: visible.reduce(0) { $0 + $1.devices.up }, state: "up"),
                    .init(label: "devices down", count: visible.reduce(0) { $0 + $1.devices.down }, state: "down"),
                    .init(
                        label: "devices unknown", count: visible.reduce(0) { $0 + $1.devices.unknown },
                        state: "unknown"),
                ],
                alertsBySeverity: Self.severities.map { severity in
                    .init(label: severity, count: openAlerts.count { $0.severity == severity }, state: severity)
                },
                alerts: openAlerts.prefix(Self.alertLines).map { alert in
                    .init(
                        id: alert.id, severity: alert.severity, rule: alert.ruleName, message: alert.message,
                        device: alert.deviceName, deviceID: alert.deviceID, branch: alert.branch,
                        triggered: viewer.clock.dateTime(alert.triggeredAt), acknowledged: alert.acknowledged)
                },
                agentsOnline: onlineAgents.count,
                agentsTotal: agents.count { reachable($0.branch) && $0.status == "active" },
                newestResultAge: freshness.newestProbe.map { OperatorClock.age(of: $0, now: now) },
                devicesFresh: freshness.devicesFresh, devicesEnabled: freshness.devicesEnabled,
                troubledBranches: visible.filter { $0.devices.down > 0 }
                    .sorted { ($0.devices.down, $1.name) > ($1.devices.down, $0.name) }
                    .map { branch in
                        .init(
                            name: branch.name, displayName: branch.displayName, region: branch.region,
                            down: branch.devices.down, total: branch.devices.total,
                            badge: .worst(
                                up: branch.devices.up, down: branch.devices.down, unknown: branch.devices.unknown))
                    })
            return HTMLResponse.page(page)
        }
    }
}
