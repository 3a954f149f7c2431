import Foundation
import Hummingbird
import Logging
import OutpostConsole
import OutpostStore

/// `/devices`: the device list with search, filters (branch, region, type, state), sorting and
/// pages of up to 1,000 devices, within the operator's regions. Query parameters are checked
/// as the API checks them: a bad one answers 400 with its reason.
struct DevicesPageRoute: Sendable {
    /// Devices per page: the legacy's 875 fit on one.
    static let pageSize = 1000

    let logger: Logger

    func register(on site: ConsoleSite) {
        let inventory = DeviceInventory(logger: logger)
        let branches = BranchDirectory(logger: logger)
        site.page("/devices") { request, _, viewer in
            let options = QueryOptions(request)
            let scope = viewer.principal.regionScope
            var query = DeviceQuery(limit: Self.pageSize)
            query.search = try options.text("q", maximumLength: 200).flatMap { $0.isEmpty ? nil : $0 }
            query.branch = try options.text("branch", maximumLength: 200).flatMap { $0.isEmpty ? nil : $0 }
            let region = try options.text("region", maximumLength: 100).flatMap { $0.isEmpty ? nil : $0 }
            if let region {
                // A region outside the operator's scope selects nothing rather than everything.
                query.regions = scope.map { $0.intersection([region]) } ?? [region]
            } else {
                query.regions = scope
            }
            query.deviceType = try options.text("type", maximumLength: 100).flatMap { $0.isEmpty ? nil : $0 }
            let state = try options.text("state", maximumLength: 10).flatMap { $0.isEmpty ? nil : $0 }
            if let state {
                guard let value = DeviceState(rawValue: state) else {
                    throw APIError.badRequest("one of up, down, unknown", field: "state")
                }
                query.state = value
            }
            let sort = try options.text("sort", maximumLength: 20).flatMap { $0.isEmpty ? nil : $0 } ?? "name"
            guard let sortValue = DeviceSort(rawValue: sort), sortValue != .updated else {
                throw APIError.badRequest("one of name, ip, branch", field: "sort")
            }
            query.sort = sortValue
            query.descending = try options.text("order", maximumLength: 4) == "desc"
            query.cursor = try options.text("cursor", maximumLength: 1000).flatMap { $0.isEmpty ? nil : $0 }
            let (page, branchList, types) = try await viewer.run { [query] connection in
                (
                    try await inventory.list(query, on: connection),
                    try await branches.list(regions: scope, on: connection),
                    try await inventory.deviceTypes(regions: scope, on: connection)
                )
            }
            let filters = PageLink(
                path: "/devices",
                parameters: [
                    ("q", query.search), ("branch", query.branch), ("region", region), ("type", query.deviceType),
                    ("state", state),
                ])
            let current = filters.with("sort", sort).with("order", query.descending ? "desc" : nil)
            let columns = [("state", "State"), ("name", "Name"), ("ip", "Address"), ("branch", "Branch")].map {
                key, label in
                guard key != "state" else {
                    return SortLink(label: label, href: current.href, sortedBy: false, descending: false)
                }
                let sortedBy = key == sort
                let link = filters.with("sort", key).with("order", sortedBy && !query.descending ? "desc" : nil)
                return SortLink(label: label, href: link.href, sortedBy: sortedBy, descending: query.descending)
            }
            let regions = Set(branchList.compactMap(\.region)).sorted()
            let devicesPage = DevicesPage(
                frame: viewer.frame(title: "Devices", section: "devices"),
                search: query.search ?? "",
                branches: Choice.list(
                    branchList.map { ($0.name, $0.displayName) }, current: query.branch, any: "Every branch"),
                regions: Choice.list(regions.map { ($0, $0) }, current: region, any: "Every region"),
                types: Choice.list(types.map { ($0, $0) }, current: query.deviceType, any: "Every type"),
                states: Choice.list(
                    DeviceState.allCases.map { ($0.rawValue, $0.rawValue) }, current: state, any: "Every state"),
                columns: columns,
                rows: page.devices.map { device in
                    let state = device.downSince != nil ? "down" : device.lastSeen != nil ? "up" : "unknown"
                    return .init(
                        id: device.id.uuidString.lowercased(), name: device.name, ip: device.ip,
                        branch: device.branchName, branchID: device.branchID?.uuidString.lowercased(),
                        region: device.region, type: device.deviceType, badge: StateBadge(state),
                        since: (device.downSince ?? device.lastSeen).map(viewer.clock.dateTime),
                        enabled: device.enabled)
                },
                nextHref: page.nextCursor.map { current.with("cursor", $0).href },
                firstHref: query.cursor == nil ? nil : current.href)
            return HTMLResponse.page(devicesPage)
        }
    }
}
