import Foundation
import Hummingbird
import Logging
import OutpostStore
import PostgresNIO

/// History charts: `/api/v1/devices/{id}/history` (ping RTT, loss, availability),
/// `/api/v1/devices/{id}/items/history` (numeric SNMP items) and `/api/v1/branches/{id}/summary`
/// (per device; `{id}` a branch's name or id), over `range` or `from`/`to` (see ``HistoryRangeQuery``). A regional manager
/// reaches only devices and branches of their regions: others answer 404.
struct HistoryRoutes: Sendable {
    /// A device's item charts.
    struct ItemHistories: Encodable, Sendable {
        let deviceId: UUID
        let from: Date
        let to: Date
        let items: [ItemHistory]
    }

    /// A branch's per-device summary.
    struct BranchSummary: Encodable, Sendable {
        let branch: String
        let from: Date
        let to: Date
        let devices: [DeviceHistorySummary]
    }

    let logger: Logger

    func register(on api: ManagementAPI) {
        let history = HistoryStore(logger: logger)
        let inventory = DeviceInventory(logger: logger)
        let directory = BranchDirectory(logger: logger)
        api.on(.get, "devices/{id}/history", .read) { request, context, user in
            let id = try context.parameters.uuid("id")
            let range = try HistoryRangeQuery(request)
            let chart = try await user.run { connection in
                try await Self.requireDevice(id, inventory, user, on: connection)
                return try await history.pingHistory(device: id, from: range.from, to: range.to, on: connection)
            }
            return JSONResponse.make(chart)
        }
        api.on(.get, "devices/{id}/items/history", .read) { request, context, user in
            let id = try context.parameters.uuid("id")
            let range = try HistoryRangeQuery(request)
            let items = try await user.run { connection in
                try await Self.requireDevice(id, inventory, user, on: connection)
                return try await history.itemHistories(device: id, from: range.from, to: range.to, on: connection)
            }
            return JSONResponse.make(ItemHistories(deviceId: id, from: range.from, to: range.to, items: items))
        }
        // `{id}` as the router's placeholder (beside `branches/{id}`); it takes a name or an id.
        api.on(.get, "branches/{id}/summary", .read) { request, context, user in
            guard let key = context.parameters.get("id"), !key.isEmpty, key.count <= 200 else {
                throw APIError.notFound("no such branch")
            }
            let range = try HistoryRangeQuery(request)
            let (name, devices) = try await user.run { connection in
                var found: BranchRecord? = nil
                if let id = UUID(uuidString: key) { found = try await directory.branch(id: id, on: connection) }
                if found == nil { found = try await directory.branch(name: key, on: connection) }
                guard let branch = found, AccessPolicy.reaches(user.principal, region: branch.region)
                else { throw APIError.notFound("no branch \(key)") }
                return (
                    branch.name,
                    try await history.branchSummary(branch: branch.id, from: range.from, to: range.to, on: connection)
                )
            }
            return JSONResponse.make(BranchSummary(branch: name, from: range.from, to: range.to, devices: devices))
        }
    }

    /// 404 unless device `id` exists and the operator reaches its region.
    private static func requireDevice(
        _ id: UUID, _ inventory: DeviceInventory, _ user: ManagementAPI.Operator, on connection: PostgresConnection
    ) async throws {
        guard let device = try await inventory.device(id: id, on: connection),
            AccessPolicy.reaches(user.principal, region: device.region)
        else { throw APIError.notFound("no device \(id.uuidString.lowercased())") }
    }
}
