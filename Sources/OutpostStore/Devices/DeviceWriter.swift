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
        let id = UUID()
        let rows = try await connection.query(
            """
            WITH d AS (
                INSERT INTO standalone_devices (id, name, ip, branch_id, hostname, vendor, device_type, device_subtype,
                    model, location, description, enabled, tags, floor_info, unit_number, ssh_port, ssh_username,
                    ssh_enabled)
                VALUES (\(id), \(values.name), \(values.ip), (SELECT id FROM branches WHERE name = \(values.branch)),
                    \(values.hostname), \(values.vendor), \(values.deviceType), \(values.deviceSubtype), \(values.model),
                    \(values.location), \(values.description), \(values.enabled), to_jsonb(\(values.tags)::text[]),
                    \(values.floorInfo), \(values.unitNumber.map(Int32.init)), \(Int32(values.sshPort)),
                    \(values.sshUsername), \(values.sshEnabled))
                RETURNING *)
            SELECT \(unescaped: DeviceRecord.columns) FROM d LEFT JOIN branches b ON b.id = d.branch_id
            """, logger: logger)
        let record = try await written(rows, id: id, branch: values.branch)
        try await audit("create", id, before: [:], after: record.auditFields)
        return record
    }

    func update(id: UUID, _ patch: DevicePatch) async throws -> DeviceRecord {
        try DeviceValidation.patch(patch)
        guard let current = try await load(id) else { throw DeviceNotFoundError(id: id) }
        var values = DeviceValues(current)
        values.apply(patch)
        guard values != DeviceValues(current) else { return current }
        let rows = try await connection.query(
            """
            WITH d AS (
                UPDATE standalone_devices SET
                    name = \(values.name), ip = \(values.ip),
                    branch_id = (SELECT id FROM branches WHERE name = \(values.branch)),
                    hostname = \(values.hostname), vendor = \(values.vendor), device_type = \(values.deviceType),
                    device_subtype = \(values.deviceSubtype), model = \(values.model), location = \(values.location),
                    description = \(values.description), enabled = \(values.enabled),
                    tags = to_jsonb(\(values.tags)::text[]), floor_info = \(values.floorInfo),
                    unit_number = \(values.unitNumber.map(Int32.init)), ssh_port = \(Int32(values.sshPort)),
                    ssh_username = \(values.sshUsername), ssh_enabled = \(values.sshEnabled), updated_at = now()
                WHERE id = \(id)
                RETURNING *)
            SELECT \(unescaped: DeviceRecord.columns) FROM d LEFT JOIN branches b ON b.id = d.branch_id
            """, logger: logger)
        let updated = try await written(rows, id: id, branch: values.branch)
        try await audit("update", id, before: current.auditFields, after: updated.auditFields)
        return updated
    }

    func delete(id: UUID) async throws {
        guard let current = try await load(id) else { throw DeviceNotFoundError(id: id) }
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

    /// The device, locked for the rest of the transaction.
    private func load(_ id: UUID) async throws -> DeviceRecord? {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: DeviceRecord.columns) FROM \(unescaped: DeviceRecord.from) WHERE d.id = \(id)
            FOR UPDATE OF d
            """, logger: logger)
        for try await row in rows { return try DeviceRecord(row: row) }
        return nil
    }

    /// The device an INSERT or UPDATE returned; a branch name that matched no branch (the row
    /// then has none) is refused, which rolls the write back with the transaction.
    private func written(_ rows: PostgresRowSequence, id: UUID, branch: String?) async throws -> DeviceRecord {
        var record: DeviceRecord?
        for try await row in rows { record = try DeviceRecord(row: row) }
        guard let record else { throw DeviceNotFoundError(id: id) }
        if let branch, record.branchID == nil {
            throw InputError(field: "branch", reason: "no branch named \(branch.debugDescription)")
        }
        return record
    }

    private func audit(_ action: String, _ id: UUID, before: [String: AuditValue], after: [String: AuditValue])
        async throws
    {
        let entry = AuditEntry.diff(
            action: action, entity: "device", entityID: id.uuidString.lowercased(), before: before, after: after)
        try await AuditLog(logger: logger).append(entry, by: actor, on: connection)
    }
}
