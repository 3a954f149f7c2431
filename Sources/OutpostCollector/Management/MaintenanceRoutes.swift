import Foundation
import Hummingbird
import Logging
import OutpostStore
import PostgresNIO

/// Maintenance windows: `/api/v1/maintenance` (list; `?all=true` with those over) and create,
/// `/api/v1/maintenance/{id}` and `/api/v1/maintenance/{id}/end`. Those who edit devices
/// schedule them; a regional manager only over devices, branches and regions of their own.
struct MaintenanceRoutes: Sendable {
    struct NewWindow: Decodable {
        let draft: MaintenanceWindowDraft

        init(from decoder: any Decoder) throws {
            let fields = try JSONFields(
                from: decoder,
                known: [
                    "name", "comment", "startsAt", "endsAt", "schedule", "durationSeconds", "deviceIds", "branches",
                    "regions",
                ])
            draft = MaintenanceWindowDraft(
                name: try fields.required("name"), comment: try fields.optional("comment"),
                startsAt: try fields.optional("startsAt") ?? Date(), endsAt: try fields.optional("endsAt"),
                schedule: try fields.optional("schedule"), durationSeconds: try fields.optional("durationSeconds"),
                deviceIDs: try fields.optional("deviceIds") ?? [], branchNames: try fields.optional("branches") ?? [],
                regions: try fields.optional("regions") ?? [])
        }
    }

    /// A window as the API shows it.
    struct Window: Encodable {
        struct Device: Encodable {
            let id: UUID
            let name: String
        }

        let id: UUID
        let name: String
        let comment: String?
        let startsAt: Date
        let endsAt: Date?
        let schedule: String?
        let durationSeconds: Int?
        let createdBy: String?
        let createdAt: Date
        let endedAt: Date?
        let devices: [Device]
        let branches: [String]
        let regions: [String]
        let activeNow: Bool

        init(_ record: MaintenanceWindowRecord, now: Date) {
            id = record.id
            name = record.name
            comment = record.comment
            startsAt = record.startsAt
            endsAt = record.endsAt
            schedule = record.schedule
            durationSeconds = record.durationSeconds
            createdBy = record.createdBy
            createdAt = record.createdAt
            endedAt = record.endedAt
            devices = record.targets.devices.map { Device(id: $0.id, name: $0.name) }
            branches = record.targets.branchNames
            regions = record.targets.regions
            activeNow = record.isActive(at: now)
        }
    }

    let logger: Logger

    func register(on api: ManagementAPI) {
        let store = MaintenanceWindowStore(logger: logger)
        let regions = RegionLookup(logger: logger)
        api.on(.get, "maintenance", .read) { request, _, user in
            let all = try QueryOptions(request).boolean("all") ?? false
            let now = Date()
            let windows = try await user.run { try await store.list(includeEnded: all, now: now, on: $0) }
            return JSONResponse.make(APIListing(name: "windows", items: windows.map { Window($0, now: now) }))
        }
        api.on(.get, "maintenance/{id}", .read) { _, context, user in
            let id = try context.parameters.uuid("id")
            guard let window = try await user.run({ try await store.window(id: id, on: $0) }) else {
                throw APIError.notFound("no maintenance window \(id.uuidString.lowercased())")
            }
            return JSONResponse.make(Window(window, now: Date()))
        }
        api.on(.post, "maintenance", .editDevices) { request, _, user in
            var draft = try await RequestBody.decode(NewWindow.self, from: request).draft
            draft.createdBy = user.principal.userID
            let window = try await user.run { [draft] connection in
                if let scope = user.principal.regionScope {
                    try await Self.requireReach(
                        scope, devices: draft.deviceIDs, branches: draft.branchNames, regions: draft.regions,
                        regions: regions, on: connection)
                }
                return try await store.create(draft, by: user.actor, on: connection)
            }
            return JSONResponse.make(Window(window, now: Date()), status: .created)
        }
        api.on(.post, "maintenance/{id}/end", .editDevices) { _, context, user in
            let id = try context.parameters.uuid("id")
            let window = try await user.run { connection in
                if let scope = user.principal.regionScope {
                    guard let window = try await store.window(id: id, on: connection) else {
                        throw APIError.notFound("no maintenance window \(id.uuidString.lowercased())")
                    }
                    try await Self.requireReach(
                        scope, devices: window.targets.devices.map(\.id), branches: window.targets.branchNames,
                        regions: window.targets.regions, regions: regions, on: connection)
                }
                return try await store.end(id: id, by: user.actor, at: Date(), on: connection)
            }
            return JSONResponse.make(Window(window, now: Date()))
        }
    }

    /// Throws 403 unless every target lies in `scope`.
    private static func requireReach(
        _ scope: Set<String>, devices: [UUID], branches: [String], regions targetRegions: [String],
        regions: RegionLookup, on connection: PostgresConnection
    ) async throws {
        if let region = targetRegions.first(where: { !scope.contains($0) }) {
            throw APIError.forbidden("region \(region) is outside your regions")
        }
        for branch in branches {
            guard let region = try await regions.region(ofBranch: branch, on: connection), scope.contains(region) else {
                throw APIError.forbidden("branch \(branch) is outside your regions")
            }
        }
        if let device = try await regions.devicesOutside(scope, among: devices, on: connection).first {
            throw APIError.forbidden("device \(device.uuidString.lowercased()) is outside your regions")
        }
    }
}
