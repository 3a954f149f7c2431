import Foundation
import Logging
import OutpostConsole
import OutpostStore

/// `/devices/{id}`: a device's state, facts, charts over 1 h, 24 h, 7 d or 30 d (`?range=`),
/// its SNMP items' charts, its interfaces, its alerts, its last traced path and its LLDP/CDP
/// neighbours; 404 for a device outside the operator's regions, as for one that does not exist.
struct DevicePageRoute: Sendable {
    /// Alerts listed on the page, newest first.
    static let alertLines = 50

    let logger: Logger

    func register(on site: ConsoleSite) {
        let inventory = DeviceInventory(logger: logger)
        let history = HistoryStore(logger: logger)
        let desk = AlertDesk(logger: logger)
        let diagnostics = DiagnosticJobStore(logger: logger)
        let interfaces = InterfaceStore(logger: logger)
        let topology = TopologyStore(logger: logger)
        site.page("/devices/:id") { request, context, viewer in
            guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else {
                throw APIError.badRequest("expected a device id (UUID)", field: "id")
            }
            let range = try ChartRange.parse(request.uri.queryParameters["range"].map(String.init))
            let to = Date()
            let from = to.addingTimeInterval(-range.seconds)
            let loaded = try await viewer.run {
                connection -> (
                    DeviceRecord, PingHistory, [ItemHistory], AlertPage, (DiagnosticJobRecord, [DiagnosticHopRecord])?,
                    [DeviceInterface], [DeviceNeighbour]
                )? in
                guard let device = try await inventory.device(id: id, on: connection), viewer.reaches(device.region)
                else { return nil }
                var filter = AlertFilter()
                filter.deviceID = id
                filter.limit = Self.alertLines
                return (
                    device, try await history.pingHistory(device: id, from: from, to: to, on: connection),
                    try await history.itemHistories(device: id, from: from, to: to, on: connection),
                    try await desk.list(filter, on: connection),
                    try await DevicePathRows.latest(of: id, jobs: diagnostics, on: connection),
                    try await interfaces.interfaces(device: id, on: connection),
                    try await topology.neighbours(of: id, on: connection)
                )
            }
            guard let (device, ping, items, alerts, trace, ports, neighbours) = loaded else {
                throw APIError.notFound("no device \(id.uuidString.lowercased())")
            }
            let clock = viewer.clock
            let state = device.downSince != nil ? "down" : device.lastSeen != nil ? "up" : "unknown"
            let page = DeviceDetailPage(
                frame: viewer.frame(title: device.name, section: "devices"),
                id: device.id.uuidString.lowercased(), name: device.name,
                badge: StateBadge(device.enabled ? state : "disabled"),
                facts: [
                    Fact("Address", device.ip), Fact("Branch", device.branchName), Fact("Region", device.region),
                    Fact("Type", [device.deviceType, device.deviceSubtype].compactMap { $0 }.joined(separator: " / ")),
                    Fact("Vendor / model", [device.vendor, device.model].compactMap { $0 }.joined(separator: " ")),
                    Fact("Host name", device.hostname), Fact("Location", device.location),
                    Fact("Monitoring", device.enabled ? "enabled" : "disabled"),
                    Fact("Last answer", device.lastSeen.map(clock.dateTime)),
                    Fact("Down since", device.downSince.map(clock.dateTime)),
                    Fact("Tags", device.tags.isEmpty ? nil : device.tags.joined(separator: ", ")),
                ],
                ranges: ChartRange.allCases.map {
                    RangeLink(
                        label: $0.label, href: "/devices/\(id.uuidString.lowercased())?range=\($0.rawValue)",
                        current: $0 == range)
                },
                resolution: Self.describe(ping),
                charts: DeviceCharts.ping(ping, clock: clock),
                itemCharts: DeviceCharts.items(items, from: from, to: to, clock: clock),
                alerts: alerts.alerts.map { AlertRows.row($0, clock: clock) },
                enabled: device.enabled,
                path: trace.map { DevicePathRows.path($0.0, hops: $0.1, clock: clock) },
                interfaces: DeviceInterfaceRows.rows(ports, clock: clock),
                neighbours: neighbours.map { neighbour in
                    DeviceNeighbourRow(
                        localPort: neighbour.localPort, name: neighbour.name,
                        href: neighbour.deviceID.map { "/devices/\($0.uuidString.lowercased())" },
                        remotePort: neighbour.remotePort, address: neighbour.managementAddress,
                        protocolName: neighbour.protocolName, lastSeen: clock.dateTime(neighbour.lastSeen))
                })
            return HTMLResponse.page(page)
        }
    }

    /// `raw rounds`, `1-minute buckets`, `1-hour buckets`, or `10-minute buckets` when regrouped.
    static func describe(_ history: PingHistory) -> String {
        switch (history.resolution, history.bucketSeconds) {
        case (.raw, _): "every round"
        case (_, let seconds) where seconds % 3600 == 0: "\(seconds / 3600)-hour buckets"
        case (_, let seconds): "\(max(1, seconds / 60))-minute buckets"
        }
    }
}
