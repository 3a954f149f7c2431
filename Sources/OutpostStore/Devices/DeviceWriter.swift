import Foundation
import Logging
import PostgresNIO

/// The inventory's changes on a connection inside a transaction, each with its audit entry.
struct DeviceWriter {
    let logger: Logger
    let connection: PostgresConnection
    let actor: AuditActor

    func create(_ draft: DeviceDraft) async throws -> DeviceRecord {
        try DeviceValidation.draft(draft)
        let values = DeviceValues(draft)
        let branchID = try await branchID(values.branch)
        let id = UUID()
        try await connection.query(
            """
            INSERT INTO standalone_devices (id, name, ip, branch_id, hostname, vendor, device_type, device_subtype, model,
                location, description, enabled, tags, floor_info, unit_number, ssh_port, ssh_username, ssh_enabled)
            VALUES (\(id), \(values.name), \(values.ip), \(branchID), \(values.hostname), \(values.vendor),
                \(values.deviceType), \(values.deviceSubtype), \(values.model), \(values.location),
                \(values.description), \(values.enabled), to_jsonb(\(values.tags)::text[]), \(values.floorInfo),
                \(values.unitNumber.map(Int32.init)), \(Int32(values.sshPort)), \(values.sshUsername),
                \(values.sshEnabled))
            """, logger: logger)
        guard let record = try await load(id, lock: false) else { throw DeviceNotFoundError(id: id) }
        try await audit("create", record.id, before: [:], after: record.auditFields)
        return record
    }

    func update(id: UUID, _ patch: DevicePatch) async throws -> DeviceRecord {
        try DeviceValidation.patch(patch)
        guard let current = try await load(id, lock: true) else { throw DeviceNotFoundError(id: id) }
        var values = DeviceValues(current)
        values.apply(patch)
        let branchID = values.branch == current.branchName ? current.branchID : try await branchID(values.branch)
        guard values != DeviceValues(current) else { return current }
        try await connection.query(
            """
            UPDATE standalone_devices SET
                name = \(values.name), ip = \(values.ip), branch_id = \(branchID), hostname = \(values.hostname),
                vendor = \(values.vendor), device_type = \(values.deviceType),
                device_subtype = \(values.deviceSubtype), model = \(values.model), location = \(values.location),
                description = \(values.description), enabled = \(values.enabled),
                tags = to_jsonb(\(values.tags)::text[]), floor_info = \(values.floorInfo),
                unit_number = \(values.unitNumber.map(Int32.init)), ssh_port = \(Int32(values.sshPort)),
                ssh_username = \(values.sshUsername), ssh_enabled = \(values.sshEnabled), updated_at = now()
            WHERE id = \(id)
            """, logger: logger)
        guard let updated = try await load(id, lock: false) else { throw DeviceNotFoundError(id: id) }
        try await audit("update", id, before: current.auditFields, after: updated.auditFields)
        return updated
    }

    func delete(id: UUID) async throws {
        guard let current = try await load(id, lock: true) else { throw DeviceNotFoundError(id: id) }
        try await connection.query("DELETE FROM standalone_devices WHERE id = \(id)", logger: logger)
        try await audit("delete", id, before: current.auditFields, after: [:])
    }

    func setEnabled(_ ids: [UUID], enabled: Bool) async throws -> Int {
        let found = try await connection.query(
            "SELECT id FROM standalone_devices WHERE id = ANY(\(ids)::uuid[]) FOR UPDATE", logger: logger)
        var existing: Set<UUID> = []
        for try await id in found.decode(UUID.self) { existing.insert(id) }
        if let missing = ids.filter({ !existing.contains($0) }).min(by: { $0.uuidString < $1.uuidString }) {
            throw DeviceNotFoundError(id: missing)
        }
        let changed = try await connection.query(
            """
            UPDATE standalone_devices SET enabled = \(enabled), updated_at = now()
            WHERE id = ANY(\(ids)::uuid[]) AND enabled <> \(enabled)
            RETURNING id
            """, logger: logger)
        var count = 0
        for try await id in changed.decode(UUID.self) {
            try await audit("update", id, before: ["enabled": .bool(!enabled)], after: ["enabled": .bool(enabled)])
            count += 1
        }
        return count
    }

    /// The device, locked for the rest of the transaction when `lock`.
    private func load(_ id: UUID, lock: Bool) async throws -> DeviceRecord? {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: DeviceRecord.columns) FROM \(unescaped: DeviceRecord.from) WHERE d.id = \(id)
            \(unescaped: lock ? "FOR UPDATE OF d" : "")
            """, logger: logger)
        for try await row in rows { return try DeviceRecord(row: row) }
        return nil
    }

    /// The id of the branch named `name` (`nil` for none); an unknown name is refused.
    private func branchID(_ name: String?) async throws -> UUID? {
        guard let name else { return nil }
        let rows = try await connection.query("SELECT id FROM branches WHERE name = \(name)", logger: logger)
        for try await id in rows.decode(UUID.self) { return id }
        throw DeviceInputError(field: "branch", reason: "no branch named \(name.debugDescription)")
    }

    private func audit(_ action: String, _ id: UUID, before: [String: AuditValue], after: [String: AuditValue])
        async throws
    {
        let entry = AuditEntry.diff(
            action: action, entity: "device", entityID: id.uuidString.lowercased(), before: before, after: after)
        try await AuditLog(logger: logger).append(entry, by: actor, on: connection)
    }
}
