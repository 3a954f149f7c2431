import Foundation
import Hummingbird
import Logging
import OutpostStore

/// `POST /api/v1/devices/import` and `GET /api/v1/devices/export`: the inventory as CSV
/// (docs/device-import.md). An import applies the whole file in one transaction or nothing;
/// `dry_run=true` only answers what it would do.
struct DeviceCSVRoutes: Sendable {
    /// What an import did or would do.
    struct ImportAnswer: Encodable {
        struct Change: Encodable {
            let line: Int
            let action: String
            let name: String
            let fields: [String]
        }

        let applied: Bool
        let creates: Int
        let updates: Int
        let unchanged: Int
        let changes: [Change]
        let refused: [DeviceImportPlan.Refusal]

        init(_ plan: DeviceImportPlan, applied: Bool) {
            self.applied = applied
            creates = plan.creates.count
            updates = plan.updates.count
            unchanged = plan.unchanged.count
            changes =
                (plan.creates.map { Change(line: $0.line, action: "create", name: $0.draft.name, fields: []) }
                + plan.updates.map { Change(line: $0.line, action: "update", name: $0.name, fields: $0.changedFields) })
                .sorted { $0.line < $1.line }
            refused = plan.refused
        }
    }

    let logger: Logger

    func register(on api: ManagementAPI) {
        let importer = DeviceCSVImport(logger: logger)
        let inventory = DeviceInventory(logger: logger)
        api.on(.post, "devices/import", .editDevices) { request, _, user in
            let dryRun = try QueryOptions(request).boolean("dry_run") ?? false
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: DeviceCSVReader.maximumBytes)
            } catch {
                throw APIError(status: .contentTooLarge, message: "the file is larger than 10 MB")
            }
            guard let csv = String(validating: buffer.readableBytesView, as: UTF8.self) else {
                throw APIError.badRequest("the file is not UTF-8 text")
            }
            let scope = user.principal.regionScope
            let answer = try await user.run { connection in
                let plan = try await importer.plan(csv: csv, regions: scope, on: connection)
                guard !dryRun, plan.refused.isEmpty else { return ImportAnswer(plan, applied: false) }
                _ = try await importer.apply(plan, by: user.actor, on: connection)
                return ImportAnswer(plan, applied: true)
            }
            return JSONResponse.make(answer, status: answer.refused.isEmpty ? .ok : .unprocessableContent)
        }
        api.on(.get, "devices/export", .read) { request, _, user in
            let branch = try QueryOptions(request).text("branch", maximumLength: 200)
            let scope = user.principal.regionScope
            let devices = try await user.run { try await inventory.all(branch: branch, on: $0) }
                .filter { device in scope.map { device.region.map($0.contains) ?? false } ?? true }
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"outpost-devices.csv\"",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(string: DeviceCSVExport.csv(devices))))
        }
    }
}
