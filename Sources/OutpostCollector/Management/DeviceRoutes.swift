import Foundation
import Hummingbird
import Logging
import OutpostStore
import PostgresNIO

/// Devices: `/api/v1/devices` (list with cursor, filters, sort and search; create),
/// `/api/v1/devices/{id}` (read, change, delete), `/api/v1/devices/enabled` (bulk enable or
/// disable). A regional manager reads and changes only devices of branches in their regions.
struct DeviceRoutes: Sendable {
    struct NewDevice: Decodable {
        let draft: DeviceDraft

        static let fields: Set<String> = [
            "name", "ip", "branch", "hostname", "vendor", "deviceType", "deviceSubtype", "model", "location",
            "description", "enabled", "tags", "floorInfo", "unitNumber", "sshPort", "sshUsername", "sshEnabled",
        ]

        init(from decoder: any Decoder) throws {
            let fields = try JSONFields(from: decoder, known: Self.fields)
            draft = DeviceDraft(
                name: try fields.required("name"), ip: try fields.required("ip"), branch: try fields.optional("branch"),
                hostname: try fields.optional("hostname"), vendor: try fields.optional("vendor"),
                deviceType: try fields.optional("deviceType"), deviceSubtype: try fields.optional("deviceSubtype"),
                model: try fields.optional("model"), location: try fields.optional("location"),
                description: try fields.optional("description"), enabled: try fields.optional("enabled") ?? true,
                tags: try fields.optional("tags") ?? [], floorInfo: try fields.optional("floorInfo"),
                unitNumber: try fields.optional("unitNumber"), sshPort: try fields.optional("sshPort") ?? 22,
                sshUsername: try fields.optional("sshUsername"), sshEnabled: try fields.optional("sshEnabled") ?? true)
        }
    }

    struct DeviceChanges: Decodable {
        let patch: DevicePatch

        init(from decoder: any Decoder) throws {
            let fields = try JSONFields(from: decoder, known: NewDevice.fields)
            var patch = DevicePatch()
            patch.name = try fields.optional("name")
            patch.ip = try fields.optional("ip")
            patch.branch = try fields.nullable("branch")
            patch.hostname = try fields.nullable("hostname")
            patch.vendor = try fields.nullable("vendor")
            patch.deviceType = try fields.nullable("deviceType")
            patch.deviceSubtype = try fields.nullable("deviceSubtype")
            patch.model = try fields.nullable("model")
            patch.location = try fields.nullable("location")
            patch.description = try fields.nullable("description")
            patch.enabled = try fields.optional("enabled")
            patch.tags = try fields.optional("tags")
            patch.floorInfo = try fields.nullable("floorInfo")
            patch.unitNumber = try fields.nullable("unitNumber")
            patch.sshPort = try fields.optional("sshPort")
            patch.sshUsername = try fields.nullable("sshUsername")
            patch.sshEnabled = try fields.optional("sshEnabled")
            self.patch = patch
        }
    }

    struct BulkEnable: Decodable {
        let ids: [UUID]
        let enabled: Bool
    }

    struct BulkResult: Encodable {
        let changed: Int
    }

    let logger: Logger

    func register(on api: ManagementAPI) {
        let inventory = DeviceInventory(logger: logger)
        let regions = RegionLookup(logger: logger)
        api.on(.get, "devices", .read) { request, _, user in
            let options = QueryOptions(request)
            var query = DeviceQuery()
            query.search = try options.text("search", maximumLength: 200)
            query.branch = try options.text("branch", maximumLength: 200)
            query.regions = user.principal.regionScope
            query.enabled = try options.boolean("enabled")
            query.deviceType = try options.text("device_type", maximumLength: 100)
            if let state = try options.text("state", maximumLength: 10) {
                guard let value = DeviceState(rawValue: state) else {
                    throw APIError.badRequest("one of up, down, unknown", field: "state")
                }
                query.state = value
            }
            if let sort = try options.text("sort", maximumLength: 20) {
                guard let value = DeviceSort(rawValue: sort) else {
                    throw APIError.badRequest(
                        "one of \(DeviceSort.allCases.map(\.rawValue).joined(separator: ", "))", field: "sort")
                }
                query.sort = value
            }
            query.descending =
                try options.text("order", maximumLength: 4).map { order in
                    guard order == "asc" || order == "desc" else {
                        throw APIError.badRequest("asc or desc", field: "order")
                    }
                    return order == "desc"
                } ?? false
            query.limit = try options.integer("limit", in: 1...DeviceQuery.maximumLimit) ?? 100
            query.cursor = try options.text("cursor", maximumLength: 1000)
            let page = try await user.run { [query] in try await inventory.list(query, on: $0) }
            return JSONResponse.make(page)
        }
        api.on(.get, "devices/{id}", .read) { _, context, user in
            let id = try context.parameters.uuid("id")
            let device = try await user.run { try await reachable(id, inventory, user, on: $0) }
            return JSONResponse.make(device)
        }
        api.on(.post, "devices", .editDevices) { request, _, user in
            let draft = try await RequestBody.decode(NewDevice.self, from: request).draft
            let device = try await user.run { connection in
                try user.requireReach(
                    try await regions.region(ofBranch: draft.branch, on: connection),
                    "branch \(draft.branch ?? "(none)")")
                return try await inventory.create(draft, by: user.actor, on: connection)
            }
            return JSONResponse.make(device, status: .created)
        }
        api.on(.patch, "devices/{id}", .editDevices) { request, context, user in
            let id = try context.parameters.uuid("id")
            let patch = try await RequestBody.decode(DeviceChanges.self, from: request).patch
            let device = try await user.run { connection in
                try await reachable(id, inventory, user, on: connection)
                if let target = patch.branch {
                    try user.requireReach(
                        try await regions.region(ofBranch: target, on: connection), "branch \(target ?? "(none)")")
                }
                return try await inventory.update(id: id, patch, by: user.actor, on: connection)
            }
            return JSONResponse.make(device)
        }
        api.on(.delete, "devices/{id}", .editDevices) { _, context, user in
            let id = try context.parameters.uuid("id")
            try await user.run { connection in
                try await reachable(id, inventory, user, on: connection)
                try await inventory.delete(id: id, by: user.actor, on: connection)
            }
            return Response(status: .noContent)
        }
        api.on(.post, "devices/enabled", .editDevices) { request, _, user in
            let bulk = try await RequestBody.decode(BulkEnable.self, from: request)
            guard (1...DeviceInventory.maximumBulk).contains(bulk.ids.count) else {
                throw APIError.badRequest("1 to \(DeviceInventory.maximumBulk) device ids", field: "ids")
            }
            let changed = try await user.run { connection in
                if let scope = user.principal.regionScope {
                    let outside = try await regions.devicesOutside(scope, among: bulk.ids, on: connection)
                    if let first = outside.first {
                        throw APIError.forbidden("device \(first.uuidString.lowercased()) is outside your regions")
                    }
                }
                return try await inventory.setEnabled(bulk.ids, enabled: bulk.enabled, by: user.actor, on: connection)
            }
            return JSONResponse.make(BulkResult(changed: changed))
        }
    }

    /// The device `id` if the operator reaches its region, else 404.
    @discardableResult
    private func reachable(
        _ id: UUID, _ inventory: DeviceInventory, _ user: ManagementAPI.Operator, on connection: PostgresConnection
    ) async throws -> DeviceRecord {
        guard let device = try await inventory.device(id: id, on: connection),
            AccessPolicy.reaches(user.principal, region: device.region)
        else { throw APIError.notFound("no device \(id.uuidString.lowercased())") }
        return device
    }
}
