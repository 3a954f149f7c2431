import Foundation
import Logging
import OutpostConsole
import OutpostStore

/// `/branches/{name}`: a branch's devices (with the newest round and 24-hour figures), agents
/// and open alerts; 404 for a branch outside the operator's regions, as for one that does not
/// exist.
struct BranchPageRoute: Sendable {
    /// The range of the devices' figures.
    static let summarySeconds: TimeInterval = 86_400
    /// Open alerts listed on the page.
    static let alertLines = 100

    let logger: Logger

    func register(on site: ConsoleSite) {
        let directory = BranchDirectory(logger: logger)
        let status = StatusStore(logger: logger)
        let history = HistoryStore(logger: logger)
        let desk = AlertDesk(logger: logger)
        site.page("/branches/:name") { _, context, viewer in
            guard let name = context.parameters.get("name"), !name.isEmpty, name.count <= 200 else {
                throw APIError.badRequest("expected a branch name of 1 to 200 characters", field: "name")
            }
            let to = Date()
            let from = to.addingTimeInterval(-Self.summarySeconds)
            let loaded = try await viewer.run {
                connection -> (BranchRecord, [DeviceStatus], [AgentStatus], AlertPage, [DeviceHistorySummary])? in
                guard let branch = try await directory.branch(name: name, on: connection),
                    viewer.reaches(branch.region)
                else { return nil }
                var filter = AlertFilter()
                filter.open = true
                filter.branch = name
                filter.limit = Self.alertLines
                return (
                    branch, try await status.devices(branch: name, on: connection),
                    try await status.agents(on: connection).filter { $0.branch == name },
                    try await desk.list(filter, on: connection),
                    try await history.branchSummary(branch: branch.id, from: from, to: to, on: connection)
                )
            }
            guard let (branch, devices, agents, alerts, summaries) = loaded else {
                throw APIError.notFound("no branch named \(name.debugDescription)")
            }
            let clock = viewer.clock
            let summaryByDevice = Dictionary(
                summaries.map { ($0.deviceID.uuidString.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
            let counts = (
                up: devices.count { $0.enabled && $0.state == .up },
                down: devices.count { $0.enabled && $0.state == .down },
                unknown: devices.count { $0.enabled && $0.state == .unknown }
            )
            let page = BranchPage(
                frame: viewer.frame(title: branch.displayName, section: "branches"),
                id: branch.id.uuidString.lowercased(), displayName: branch.displayName,
                displayNameKa: branch.displayNameKa,
                badge: .worst(up: counts.up, down: counts.down, unknown: counts.unknown),
                facts: [
                    Fact("Name", branch.name), Fact("Region", branch.region), Fact("City", branch.city),
                    Fact("Address", branch.address), Fact("Branch code", branch.branchCode),
                    Fact("Gateway", branch.gatewayDeviceName),
                    Fact("Devices", "\(counts.up) up, \(counts.down) down, \(counts.unknown) unknown"),
                ],
                devices: devices.map { device in
                    let summary = summaryByDevice[device.id.lowercased()]
                    return .init(
                        id: device.id.lowercased(), name: device.name, ip: device.ip, type: device.deviceType,
                        badge: StateBadge(device.enabled ? device.state.rawValue : "disabled"),
                        rtt: device.latestPing?.rttMs.map { String(format: "%.2f ms", $0) },
                        availability: summary?.availabilityPercent.map { String(format: "%.2f %%", $0) },
                        meanRTT: summary?.avgRTT.map { String(format: "%.2f ms", $0) },
                        loss: summary?.lossPercent.map { String(format: "%.2f %%", $0) })
                },
                agents: agents.map { agent in
                    .init(
                        name: agent.name ?? agent.id, status: agent.status,
                        lastSeen: agent.lastSeen.map(clock.dateTime),
                        version: agent.version, certificateExpires: clock.day(agent.certificateNotAfter))
                },
                alerts: alerts.alerts.map { AlertRows.row($0, clock: clock) })
            return HTMLResponse.page(page)
        }
    }
}
